package dev.bulwark.retry;

import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import org.jspecify.annotations.Nullable;
import dev.bulwark.ConfigException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs a call again when it fails in a way worth retrying, waiting a {@link Backoff} between attempts.
 *
 * <pre>{@code
 * Retry retry = Retry.builder("inventory")
 *         .maxRetries(3)
 *         .backoff(Backoff.exponential(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30)))
 *         .retryOn(e -> e instanceof IOException)
 *         .budget(Retry.Budget.ofDefaults())
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
            /** The next attempt could not start before the retry's maxDuration, or finish before the context's deadline. */
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
     * @param failedDeadline calls that stopped because the next attempt could not meet the deadline or maxDuration
     * @param failedBudget calls that stopped because the retry budget was spent
     */
    record Stats(long calls, long retries, long succeededWithoutRetry, long succeededAfterRetry,
                             long failedNotRetryable, long failedMaxRetries, long failedDeadline, long failedBudget) {
    }

    /**
     * Limits retries to a share of recent calls, so a failing dependency never sees a retry storm: each
     * call deposits {@code ratio} of a token, each retry withdraws one, and the balance never exceeds
     * {@code reserve} (which is also the starting balance, letting a quiet system retry at all). With the
     * defaults (ratio 0.2, reserve 10) a dependency sees at most 10 retries in a burst and then at most one
     * retry per five calls.
     *
     * <p>Calls deposit through a striped counter (no lock on the happy path); withdrawals, which happen only
     * on failure, settle the deposits under a short lock. Share one budget between retries that protect the
     * same dependency. This class is thread-safe.
     */
    final class Budget {
        /** Tokens are kept in thousandths so that deposits add up exactly (ten deposits of 0.1 make 1). */
        private static final long UNIT = 1000;

        private final long depositPerCall;
        private final long reserve;
        private final LongAdder calls = new LongAdder();
        private long settledCalls; // guarded by this
        private long tokens; // guarded by this, in thousandths
        private final LongAdder denied = new LongAdder();

        private Budget(double ratio, int reserve) {
            if (!(ratio > 0 && ratio <= 1)) {
                throw new ConfigException("retry budget", "ratio", ratio, "in (0.0, 1.0]");
            }
            if (reserve < 0) {
                throw new ConfigException("retry budget", "reserve", reserve, ">= 0");
            }
            this.depositPerCall = Math.max(1, Math.round(ratio * UNIT));
            this.reserve = reserve * UNIT;
            this.tokens = this.reserve;
        }

        /** A budget allowing retries up to {@code ratio} of calls, with {@code reserve} tokens of headroom. */
        public static Budget of(double ratio, int reserve) {
            return new Budget(ratio, reserve);
        }

        /** Ratio 0.2 and reserve 10. */
        public static Budget ofDefaults() {
            return new Budget(0.2, 10);
        }

        /** Counts one call (a first attempt). */
        void recordCall() {
            calls.increment();
        }

        /** Takes a token for one retry, or returns false when the budget is spent. */
        synchronized boolean tryWithdraw() {
            tokens = balance();
            settledCalls = calls.sum();
            if (tokens >= UNIT) {
                tokens -= UNIT;
                return true;
            }
            denied.increment();
            return false;
        }

        /** Retries refused so far. */
        public long deniedRetries() {
            return denied.sum();
        }

        /** Tokens available now. */
        public synchronized double available() {
            return balance() / (double) UNIT;
        }

        private long balance() {
            long unsettled = calls.sum() - settledCalls;
            // a long quiet stretch of calls would overflow the product; it fills the reserve anyway
            long deposit = unsettled > reserve / depositPerCall ? reserve : unsettled * depositPerCall;
            return Math.min(reserve, tokens + deposit);
        }
    }
}
