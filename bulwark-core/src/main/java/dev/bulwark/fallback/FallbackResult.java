package dev.bulwark.fallback;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link Fallback} answered, and how: callers and metrics can tell a served answer from a switched,
 * degraded, cached or queued one. Immutable (the value is the caller's own).
 *
 * @param outcome which path produced the answer
 * @param value the answer, when there is one (SERVED, SWITCHED, DEGRADED, CACHED, SUBSTITUTED, a SHED call answered
 *              with a value), or the last unaccepted result when nothing answered (FAILED)
 * @param ticket the deferred queue's ticket, when QUEUED
 * @param trail what was tried, in order (e.g. {@code primary: IOException down}, {@code provider backup}, {@code switched})
 * @param error the last failure, when nothing answered (FAILED) or the call was shed or queued; null after an answer
 * @param <R> the answer type
 */
public record FallbackResult<R>(Outcome outcome, @Nullable R value, OptionalLong ticket, List<String> trail,
                                @Nullable Throwable error) {

    /** Copies the trail. */
    public FallbackResult {
        trail = List.copyOf(trail);
    }

    /**
     * How the answer came about. The declaration order of the strategies' outcomes is the default order of the
     * strategies: switch provider, degrade, queue, cache, substitute, shed.
     */
    public enum Outcome {
        /** The call (the rest of the pipeline, retries included) answered at once. */
        SERVED,
        /** An alternative provider answered ({@link FallbackStrategy#switchProvider}). */
        SWITCHED,
        /** The call answered a degraded request ({@link FallbackStrategy#degrade}). */
        DEGRADED,
        /** The call was queued for later and has a ticket. */
        QUEUED,
        /** A cached (possibly stale) answer was returned ({@link FallbackStrategy#cache}). */
        CACHED,
        /** A value of the caller's choice answered ({@link FallbackStrategy#answer}). */
        SUBSTITUTED,
        /** The call was shed ({@link FallbackStrategy#shed}, or a {@link LoadShedException} no strategy answered for). */
        SHED,
        /** Nothing answered, or the failure was not one the fallback handles. */
        FAILED
    }

    /** The value, if any. */
    public Optional<R> valueIfPresent() {
        return Optional.ofNullable(value);
    }
}
