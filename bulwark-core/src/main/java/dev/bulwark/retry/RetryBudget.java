package dev.bulwark.retry;

import dev.bulwark.ConfigException;
import java.util.concurrent.atomic.LongAdder;

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
public final class RetryBudget {
    /** Tokens are kept in thousandths so that deposits add up exactly (ten deposits of 0.1 make 1). */
    private static final long UNIT = 1000;

    private final long depositPerCall;
    private final long reserve;
    private final LongAdder calls = new LongAdder();
    private long settledCalls; // guarded by this
    private long tokens; // guarded by this, in thousandths
    private final LongAdder denied = new LongAdder();

    private RetryBudget(double ratio, int reserve) {
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
    public static RetryBudget of(double ratio, int reserve) {
        return new RetryBudget(ratio, reserve);
    }

    /** Ratio 0.2 and reserve 10. */
    public static RetryBudget ofDefaults() {
        return new RetryBudget(0.2, 10);
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
