package dev.bulwark.fallback;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** {@link FallbackStrategy#answer} and {@link FallbackStrategy#answerFrom}: a value of the caller's choice. */
final class Substitute<T> implements FallbackStrategy<T> {
    private final Function<Failure<T>, ? extends @Nullable T> answer;

    Substitute(Function<Failure<T>, ? extends @Nullable T> answer) {
        this.answer = Objects.requireNonNull(answer, "answer");
    }

    @Override
    public FallbackResult.Outcome outcome() {
        return FallbackResult.Outcome.SUBSTITUTED;
    }

    @Override
    public CompletionStage<Step<T>> apply(Failure<T> failure) {
        return CompletableFuture.completedFuture(failure.answer(answer.apply(failure)));
    }

    @Override
    public String toString() {
        return "Substitute";
    }
}
