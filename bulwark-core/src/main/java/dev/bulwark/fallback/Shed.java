package dev.bulwark.fallback;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Sheds the call, reported as SHED: it ends the execution with a {@link LoadShedException} naming the call's
 * {@link Priority} and the failure, or answers a given value instead. Further strategies are not tried. Immutable
 * and thread-safe.
 *
 * @param <T> the result type
 */
public final class Shed<T> implements FallbackStrategy<T> {
    private final boolean answers;
    private final @Nullable T value;

    private Shed(boolean answers, @Nullable T value) {
        this.answers = answers;
        this.value = value;
    }

    /** Ends the execution with a {@link LoadShedException}. */
    public static <T> Shed<T> reject() {
        return new Shed<>(false, null);
    }

    /** Answers {@code value} (a "busy, try later" answer). */
    public static <T> Shed<T> answer(@Nullable T value) {
        return new Shed<>(true, value);
    }

    @Override
    public FallbackResult.Outcome outcome() {
        return FallbackResult.Outcome.SHED;
    }

    @Override
    public CompletionStage<FallbackStep<T>> apply(Failure<T> failure) {
        if (answers) {
            return CompletableFuture.completedFuture(failure.answer(value));
        }
        Throwable cause = failure.exception();
        String why = cause != null ? "after " + FallbackRun.describe(cause) : "after an unaccepted result";
        return CompletableFuture.completedFuture(failure.endWith(
                new LoadShedException(failure.fallbackName(), Priority.of(failure.context()), why)));
    }

    @Override
    public String toString() {
        return answers ? "Shed[answer]" : "Shed[reject]";
    }
}
