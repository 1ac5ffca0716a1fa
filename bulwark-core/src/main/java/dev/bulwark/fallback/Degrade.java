package dev.bulwark.fallback;

import dev.bulwark.ExecutionContext;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/** {@link FallbackStrategy#degrade}: calls again in the context the degrader makes of the call's. */
final class Degrade<T> implements FallbackStrategy<T> {
    private final UnaryOperator<ExecutionContext> degrader;

    Degrade(UnaryOperator<ExecutionContext> degrader) {
        this.degrader = Objects.requireNonNull(degrader, "degrader");
    }

    @Override
    public FallbackResult.Outcome outcome() {
        return FallbackResult.Outcome.DEGRADED;
    }

    @Override
    public CompletionStage<Step<T>> apply(Failure<T> failure) {
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
