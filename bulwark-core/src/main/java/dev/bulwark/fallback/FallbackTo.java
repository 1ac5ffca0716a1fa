package dev.bulwark.fallback;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Answers with a value of the caller's choice, reported as SUBSTITUTED: a constant, or one made from the
 * {@link Failure} (its exception or unaccepted result, its context). A function that throws ends the execution
 * with its exception. Immutable and thread-safe if the function is.
 *
 * <pre>{@code
 * FallbackTo.value("the assistant is busy, try again later")
 * FallbackTo.from(failure -> Answer.error(failure.exception()))
 * }</pre>
 *
 * @param <T> the result type
 */
public final class FallbackTo<T> implements FallbackStrategy<T> {
    private final Function<Failure<T>, ? extends @Nullable T> answer;

    private FallbackTo(Function<Failure<T>, ? extends @Nullable T> answer) {
        this.answer = answer;
    }

    /** Answers {@code value}. */
    public static <T> FallbackTo<T> value(@Nullable T value) {
        return new FallbackTo<>(failure -> value);
    }

    /** Answers what {@code answer} makes of the failure. */
    public static <T> FallbackTo<T> from(Function<Failure<T>, ? extends @Nullable T> answer) {
        return new FallbackTo<>(Objects.requireNonNull(answer, "answer"));
    }

    @Override
    public FallbackResult.Outcome outcome() {
        return FallbackResult.Outcome.SUBSTITUTED;
    }

    @Override
    public CompletionStage<FallbackStep<T>> apply(Failure<T> failure) {
        return CompletableFuture.completedFuture(failure.answer(answer.apply(failure)));
    }

    @Override
    public String toString() {
        return "FallbackTo";
    }
}
