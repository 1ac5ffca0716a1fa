package dev.bulwark.spring.interception;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.aopalliance.intercept.MethodInvocation;

/**
 * A {@code @Fallback} as a policy of the method's pipeline: a failure the fallback method handles is answered by
 * calling it with the call's arguments; any other failure passes through.
 */
final class FallbackPolicy implements Policy {
    private final String name;
    private final FallbackMethod fallback;
    private final ReturnShape shape;
    private final Clock clock;

    FallbackPolicy(String name, FallbackMethod fallback, ReturnShape shape, Clock clock) {
        this.name = name;
        this.fallback = fallback;
        this.shape = shape;
        this.clock = clock;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Class<? extends Component> kind() {
        return FallbackPolicy.class;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    @SuppressWarnings({"unchecked", "NullAway"}) // the method's own result may be null, as the fallback's may
    public <T> T intercept(ExecutionContext context, ContextualSupplier<T> call, Chain next) throws Exception {
        try {
            return next.proceed(context, call);
        } catch (Exception failure) {
            if (!fallback.handles(failure)) {
                throw failure;
            }
            try {
                return (T) fallback.invoke(invocation(context), failure);
            } catch (Throwable fallbackFailed) {
                throw Invocations.asException(fallbackFailed);
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletionStage<T> interceptAsync(ExecutionContext context, AsyncSupplier<T> call, Chain next) {
        return next.proceedAsync(context, call).exceptionallyCompose(wrapped -> {
            Throwable failure = Invocations.unwrap(wrapped);
            if (!fallback.handles(failure)) {
                return CompletableFuture.failedFuture(failure);
            }
            try {
                return (CompletionStage<T>) shape.toStage(fallback.invoke(invocation(context), failure));
            } catch (Throwable fallbackFailed) {
                return CompletableFuture.failedFuture(fallbackFailed);
            }
        });
    }

    private static MethodInvocation invocation(ExecutionContext context) {
        return Invocations.of(context).orElseThrow(() -> new IllegalStateException("no invocation in the context"));
    }

    @Override
    public String toString() {
        return "Fallback '" + fallback.method().getName() + "'";
    }
}
