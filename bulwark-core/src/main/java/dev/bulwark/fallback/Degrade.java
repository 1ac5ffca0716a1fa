package dev.bulwark.fallback;

import dev.bulwark.ExecutionContext;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * Calls again with a degraded request: in the context the degrader makes of the call's (fewer tokens, a smaller
 * batch), reported as DEGRADED. A degraded answer is not a full answer: it does not refresh a {@link UseCache}. A
 * degrader that throws ends the execution with its exception; one that returns null passes. Immutable and
 * thread-safe if the degrader is.
 *
 * <pre>{@code
 * Degrade.with(ctx -> ctx.with(MAX_TOKENS, 500))
 * }</pre>
 *
 * @param <T> the result type
 */
public final class Degrade<T> implements FallbackStrategy<T> {
    private final UnaryOperator<ExecutionContext> degrader;

    private Degrade(UnaryOperator<ExecutionContext> degrader) {
        this.degrader = degrader;
    }

    /** Degrades with {@code degrader}. */
    public static <T> Degrade<T> with(UnaryOperator<ExecutionContext> degrader) {
        return new Degrade<>(Objects.requireNonNull(degrader, "degrader"));
    }

    @Override
    public FallbackResult.Outcome outcome() {
        return FallbackResult.Outcome.DEGRADED;
    }

    @Override
    public CompletionStage<FallbackStep<T>> apply(Failure<T> failure) {
        ExecutionContext degraded = degrader.apply(failure.context());
        if (degraded == null) {
            return CompletableFuture.completedFuture(
                    failure.pass("degrade", new NullPointerException("the degrader returned null")));
        }
        return failure.callWith(degraded, "degrade");
    }

    @Override
    public String toString() {
        return "Degrade";
    }
}
