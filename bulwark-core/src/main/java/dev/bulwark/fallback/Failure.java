package dev.bulwark.fallback;

import dev.bulwark.ExecutionContext;
import dev.bulwark.fallback.FallbackStrategy.Step;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link FallbackStrategy} is handed: the failure it may answer for (the exception the call threw, or the
 * result the fallback does not accept, such as a null or an error payload), the call's context, and the means to
 * act: call again with another context, or make the {@link Step} to return.
 *
 * <p>A failure belongs to one execution and is used by one strategy at a time; it is not thread-safe.
 *
 * @param <T> the result type
 */
public final class Failure<T> {
    private final FallbackRun<T> run;
    private final FallbackResult.Outcome outcome;
    private final @Nullable Throwable exception;
    private final @Nullable T result;

    Failure(FallbackRun<T> run, FallbackResult.Outcome outcome, @Nullable Throwable exception, @Nullable T result) {
        this.run = run;
        this.outcome = outcome;
        this.exception = exception;
        this.result = result;
    }

    /** The fallback's name. */
    public String fallbackName() {
        return run.fallbackName();
    }

    /** The context the call was made in (before any strategy changed it). */
    public ExecutionContext context() {
        return run.context();
    }

    /** True when the call threw; false when its result was not accepted. */
    public boolean isException() {
        return exception != null;
    }

    /** The exception the call (or the latest attempt) threw, or null when its result was not accepted. */
    public @Nullable Throwable exception() {
        return exception;
    }

    /** The result the fallback did not accept (possibly null), when the call did not throw. */
    public @Nullable T result() {
        return result;
    }

    /**
     * Calls again (through the rest of the pipeline, as the primary was) in {@code context}: a stage of an answer
     * reported as this strategy's outcome, or of a pass when the call fails again (the trail notes it under
     * {@code label}, and later strategies see the new failure). An exception the fallback does not handle ends the
     * execution with it; an error or cancellation fails the stage.
     */
    public CompletionStage<Step<T>> callWith(ExecutionContext context, String label) {
        return run.callWith(context, label, outcome);
    }

    /** An answer, reported as this strategy's outcome. */
    public Step<T> answer(@Nullable T value) {
        return new Step<>(outcome, value, OptionalLong.empty(), null);
    }

    /** The call was put aside under {@code ticket}: reported as QUEUED, thrown as a {@link QueuedException}. */
    public Step<T> queued(long ticket) {
        return new Step<>(FallbackResult.Outcome.QUEUED, null, OptionalLong.of(ticket), null);
    }

    /** Ends the execution with {@code error}, reported as this strategy's outcome (a shed call). */
    public Step<T> endWith(Throwable error) {
        return new Step<>(outcome, null, OptionalLong.empty(), java.util.Objects.requireNonNull(error, "error"));
    }

    /** Passes to the next strategy; the trail notes {@code why}. */
    public Step<T> pass(String why) {
        run.note(why);
        return FallbackRun.pass();
    }

    /**
     * Passes to the next strategy after this strategy's own attempt failed with {@code error} (a full queue, say):
     * the trail notes it under {@code label}, and later strategies see it as the failure.
     */
    public Step<T> pass(String label, Throwable error) {
        run.failedAgain(label, error);
        return FallbackRun.pass();
    }

    @Override
    public String toString() {
        return "Failure[" + fallbackName() + ", " + (exception != null ? exception : "result " + result) + "]";
    }
}
