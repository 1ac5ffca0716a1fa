package dev.bulwark.fallback;

import dev.bulwark.fallback.LoadShedder.Priority;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/** {@link FallbackStrategy#shed} and {@link FallbackStrategy#shedAnswering}: ends the execution as SHED. */
final class ShedCall<T> implements FallbackStrategy<T> {
    private final boolean answers;
    private final @Nullable T value;

    ShedCall(boolean answers, @Nullable T value) {
        this.answers = answers;
        this.value = value;
    }

    @Override
    public FallbackResult.Outcome outcome() {
        return FallbackResult.Outcome.SHED;
    }

    @Override
    public CompletionStage<Step<T>> apply(Failure<T> failure) {
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
