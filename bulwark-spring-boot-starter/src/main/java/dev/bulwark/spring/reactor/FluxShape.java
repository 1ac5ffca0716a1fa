package dev.bulwark.spring.reactor;

import dev.bulwark.ExecutionContext;
import dev.bulwark.Pipeline;
import dev.bulwark.spring.annotation.PolicyKind;
import dev.bulwark.spring.interception.ReturnShape;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link Flux}: each subscription runs the pipeline once over the whole stream, which is collected before it is
 * emitted, so that a retry never repeats elements the subscriber already saw and the breaker, bulkhead and timeout
 * judge the stream as one call. Meant for bounded streams (a query's rows); do not annotate an endless stream.
 * Hedging a stream is refused at startup.
 */
public final class FluxShape implements ReturnShape {
    @Override
    public boolean supports(Class<?> type) {
        return Flux.class.isAssignableFrom(type);
    }

    @Override
    public @Nullable String problem(Set<PolicyKind> kinds) {
        return kinds.contains(PolicyKind.HEDGE) ? "@Hedge cannot apply to a method returning Flux: two copies of a "
                + "stream cannot be raced element by element; hedge a method returning Mono instead" : null;
    }

    @Override
    public Object invoke(Pipeline pipeline, Supplier<ExecutionContext> context, MethodInvocation invocation) {
        return Mono.defer(() -> Mono.fromCompletionStage(pipeline.executeAsync(context.get(),
                attempt -> toStage(MonoShape.proceed(invocation))))).flatMapMany(values -> Flux.fromIterable((List<?>) values));
    }

    @Override
    public CompletionStage<Object> toStage(@Nullable Object returned) {
        if (returned instanceof Mono<?> mono) {
            return mono.flux().collectList().<Object>map(list -> list).toFuture();
        }
        if (!(returned instanceof Flux<?> flux)) {
            return CompletableFuture.failedFuture(new IllegalStateException("expected a Flux, got " + returned));
        }
        return flux.collectList().<Object>map(list -> list).toFuture();
    }

    @Override
    public String toString() {
        return "Flux";
    }
}
