package dev.bulwark.fallback;

import dev.bulwark.ExecutionContext;
import java.util.concurrent.CompletionStage;

/**
 * One way a {@link Fallback} can answer for a call that failed: call again with another provider
 * ({@link SwitchProvider}) or a degraded request ({@link Degrade}), put the call aside for later (the queue
 * strategy beside the deferred queues), serve the last good answer ({@link UseCache}), answer with a value of
 * the caller's choice ({@link FallbackTo}), or shed the call ({@link Shed}).
 *
 * <p>A strategy is handed the {@link Failure} (the exception or the unacceptable result, the context, and a way to
 * call again) and returns a stage of the {@link FallbackStep} it took: an answer, which ends the execution, or a
 * pass, after which the fallback tries the next strategy. A strategy used by a synchronous execution should
 * complete its stage on the calling thread ({@link Failure#callWith} does); the fallback waits for it otherwise.
 * An exception thrown by a strategy (or by a function the user gave it, such as a degrader) ends the execution with
 * that exception: it is a bug to fix, not a provider failure for the next strategy to cover.
 *
 * <p>Implementations must be thread-safe: one strategy serves every execution of its fallback.
 *
 * @param <T> the result type of the calls the fallback protects
 */
public interface FallbackStrategy<T> {

    /**
     * How a {@link FallbackResult} reports an answer of this strategy. Strategies given to a fallback builder
     * without an explicit order run in the declaration order of their outcomes: switch provider, degrade, queue,
     * cache, substitute, shed.
     */
    FallbackResult.Outcome outcome();

    /** Answers for the failed call, or passes to the next strategy. */
    CompletionStage<FallbackStep<T>> apply(Failure<T> failure);

    /**
     * Hears a full answer to the call in {@code context}: the primary's, or an alternative provider's (never a
     * degraded, cached or substituted one). The cache strategy keeps its cache fresh here. Must be fast; the
     * default does nothing.
     */
    default void onFullAnswer(ExecutionContext context, T value) {
    }
}
