package dev.bulwark.retry;

import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import org.jspecify.annotations.Nullable;

/**
 * Runs a call again when it fails in a way worth retrying, waiting a {@link Backoff} between attempts.
 *
 * <pre>{@code
 * Retry retry = Retry.builder("inventory")
 *         .maxRetries(3)
 *         .backoff(Backoff.exponential(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30)))
 *         .retryOn(e -> e instanceof IOException)
 *         .budget(RetryBudget.ofDefaults())
 *         .build();
 * }</pre>
 *
 * <p>Each attempt sees the execution context with its attempt number. An attempt that could not finish
 * before the context's deadline is not started. Synchronous calls wait through the configured
 * {@link dev.bulwark.time.Scheduler} ({@code sleep}), asynchronous ones are re-started by it without
 * blocking a thread. When retries run out, the last exception is rethrown unchanged (or the last
 * result returned). A first attempt that succeeds takes no lock and allocates nothing.
 * This interface's implementation is thread-safe.
 */
public interface Retry extends Policy, EventSource<Retry.Event> {

    /** A builder for a retry called {@code name}. */
    static RetryConfig.Builder builder(String name) {
        return RetryConfig.builder(name);
    }

    /** A retry with the given config. */
    static Retry of(RetryConfig config) {
        return new DefaultRetry(config);
    }

    /** This retry's settings. */
    RetryConfig config();

    /** Counts since creation. */
    Retry.Stats stats();

    @Override
    default Class<? extends Component> kind() {
        return Retry.class;
    }

    /** Everything a retry reports. Built only when someone listens. */
    sealed interface Event {

        /** The retry's name. */
        String name();

        /** Attempt {@code failedAttempt} failed (with {@code error}, or a retryable result) and another follows after {@code delayNanos}. */
        record Retrying(String name, int failedAttempt, long delayNanos, @Nullable Throwable error) implements Event {
        }

        /** The call succeeded on attempt {@code attempts}. */
        record Succeeded(String name, int attempts) implements Event {
        }

        /** The call failed for good after {@code attempts} attempts, for {@code reason}. */
        record GaveUp(String name, int attempts, StopReason reason, @Nullable Throwable error) implements Event {
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

    /**
     * A retry's counts since it was created.
     *
     * @param calls executions started
     * @param retries retries made (attempts after the first)
     * @param succeededWithoutRetry calls that succeeded on the first attempt
     * @param succeededAfterRetry calls that succeeded on a later attempt
     * @param failedNotRetryable calls that failed with an outcome not to retry
     * @param failedMaxRetries calls that failed after every allowed retry
     * @param failedDeadline calls that stopped because the next attempt could not meet the deadline
     * @param failedBudget calls that stopped because the retry budget was spent
     */
    record Stats(long calls, long retries, long succeededWithoutRetry, long succeededAfterRetry,
                             long failedNotRetryable, long failedMaxRetries, long failedDeadline, long failedBudget) {
    }
}
