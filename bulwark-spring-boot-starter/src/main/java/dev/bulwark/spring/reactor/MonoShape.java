package dev.bulwark.spring.reactor;

import dev.bulwark.ExecutionContext;
import dev.bulwark.Pipeline;
import dev.bulwark.spring.interception.ReturnShape;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ProxyMethodInvocation;
import reactor.core.publisher.Mono;

/**
 * {@link Mono}: each subscription runs the pipeline once; an attempt (a retry, a hedge) calls the method again and
 * subscribes to the Mono it returns. An empty Mono is a success with no value.
 */
public final class MonoShape implements ReturnShape {
    @Override
    public boolean supports(Class<?> type) {
        return Mono.class.isAssignableFrom(type);
    }

    @Override
    public Object invoke(Pipeline pipeline, Supplier<ExecutionContext> context, MethodInvocation invocation) {
        return Mono.defer(() -> Mono.fromCompletionStage(pipeline.executeAsync(context.get(),
                attempt -> toStage(proceed(invocation)))));
    }

    @Override
    public CompletionStage<Object> toStage(@Nullable Object returned) {
        if (!(returned instanceof Mono<?> mono)) {
            return CompletableFuture.failedFuture(new IllegalStateException("expected a Mono, got " + returned));
        }
        @SuppressWarnings("unchecked")
        Mono<Object> values = (Mono<Object>) mono;
        return values.toFuture();
    }

    /** Calls the method once more; a failure to even return a publisher becomes a failed one. */
    static @Nullable Object proceed(MethodInvocation invocation) {
        try {
            return invocation instanceof ProxyMethodInvocation proxied ? proxied.invocableClone().proceed()
                    : invocation.proceed();
        } catch (Throwable failed) {
            return Mono.error(failed);
        }
    }

    @Override
    public String toString() {
        return "Mono";
    }
}
