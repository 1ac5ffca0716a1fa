package dev.bulwark.retry;

import org.jspecify.annotations.Nullable;

/** Everything a retry reports. Built only when someone listens. */
public sealed interface RetryEvent {

    /** The retry's name. */
    String name();

    /** Attempt {@code failedAttempt} failed (with {@code error}, or a retryable result) and another follows after {@code delayNanos}. */
    record Retrying(String name, int failedAttempt, long delayNanos, @Nullable Throwable error) implements RetryEvent {
    }

    /** The call succeeded on attempt {@code attempts}. */
    record Succeeded(String name, int attempts) implements RetryEvent {
    }

    /** The call failed for good after {@code attempts} attempts, for {@code reason}. */
    record GaveUp(String name, int attempts, StopReason reason, @Nullable Throwable error) implements RetryEvent {
    }

    /** Why a retry stopped retrying. */
    enum StopReason {
        /** The outcome is not one to retry (or an abort predicate matched). */
        NOT_RETRYABLE,
        /** Every allowed retry was used. */
        MAX_RETRIES,
        /** The next attempt could not finish before the context's deadline. */
        DEADLINE,
        /** The retry budget was spent. */
        BUDGET
    }
}
