package dev.bulwark.fallback;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What a fallback chain answered, and how: callers and metrics can tell a served answer from a cached,
 * degraded or queued one.
 *
 * @param outcome which path produced the answer
 * @param value the answer, when there is one (SERVED, RETRIED, SWITCHED, DEGRADED, CACHED)
 * @param ticket the deferred queue's ticket, when QUEUED
 * @param trail what was tried, in order (e.g. {@code primary: IOException}, {@code provider backup})
 * @param error the last failure, when nothing answered (FAILED) or the request was shed
 * @param <R> the answer type
 */
public record FallbackResult<R>(Outcome outcome, @Nullable R value, OptionalLong ticket, List<String> trail,
                                @Nullable Throwable error) {

    /** Copies the trail. */
    public FallbackResult {
        trail = List.copyOf(trail);
    }

    /** How the answer came about. */
    public enum Outcome {
        /** The primary answered at once. */
        SERVED,
        /** The primary answered on a retry. */
        RETRIED,
        /** An alternative provider answered. */
        SWITCHED,
        /** The primary answered a degraded request. */
        DEGRADED,
        /** The request was queued for later. */
        QUEUED,
        /** A cached (possibly stale) answer was returned. */
        CACHED,
        /** The request was shed. */
        SHED,
        /** Nothing answered. */
        FAILED
    }

    /** The value, if any. */
    public Optional<R> valueIfPresent() {
        return Optional.ofNullable(value);
    }
}
