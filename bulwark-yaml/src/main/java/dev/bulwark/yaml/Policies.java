package dev.bulwark.yaml;

import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.hedge.Hedge;
import dev.bulwark.ratelimit.RateLimiter;
import dev.bulwark.ratelimit.RateLimiterConfig;
import dev.bulwark.retry.Backoff;
import dev.bulwark.retry.Retry;
import dev.bulwark.retry.RetryConfig;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The per-call policies an adapter runs behind besides its circuit breaker and timeout, as the configuration
 * gives them ({@code retry:}, {@code bulkhead:}, {@code rate_limit:}, {@code hedge:} under {@code fault_tolerance:},
 * globally or per adapter). A policy that is off is {@code null}. Values, so that a reload can tell whether an
 * adapter's settings changed.
 *
 * @param retry the retry settings, or null when retrying is off
 * @param bulkhead the bulkhead settings, or null for none
 * @param rateLimit the rate limit, or null for none
 * @param hedge the hedging settings, or null for none
 */
public record Policies(@Nullable RetrySettings retry, @Nullable BulkheadSettings bulkhead,
                       @Nullable RateLimitSettings rateLimit, @Nullable HedgeSettings hedge) {

    /** The defaults: one retry after 100 ms, no bulkhead, no rate limit, no hedging. */
    public static Policies defaults() {
        return new Policies(RetrySettings.DEFAULT, null, null, null);
    }

    /** How the delays between retries grow. */
    public enum BackoffKind {
        /** The same delay each time. */
        FIXED,
        /** {@code initial_delay * multiplier^n}, capped at {@code max_delay}, with optional jitter. */
        EXPONENTIAL,
        /** Fibonacci multiples of {@code initial_delay}, capped. */
        FIBONACCI,
        /** Drawn from {@code [initial_delay, 3 * previous]}, capped. */
        DECORRELATED_JITTER;

        /** The YAML spelling, e.g. {@code decorrelated_jitter}. */
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * {@code retry:} settings.
     *
     * @param maxRetries retries after the first attempt
     * @param backoff how the delay grows
     * @param initialDelay the first delay
     * @param maxDelay the longest delay
     * @param multiplier the exponential growth factor
     * @param jitter the exponential jitter, in [0, 1]
     * @param maxDuration the time after which no retry starts ({@code max_duration}), or null for none (the default)
     */
    public record RetrySettings(int maxRetries, BackoffKind backoff, Duration initialDelay, Duration maxDelay,
                                double multiplier, double jitter, @Nullable Duration maxDuration) {
        static final RetrySettings DEFAULT = new RetrySettings(1, BackoffKind.FIXED, Duration.ofMillis(100),
                Duration.ofSeconds(10), 2.0, 0.0, null);

        /** A retry called {@code name}. @throws dev.bulwark.ConfigException for an invalid combination */
        public Retry build(String name) {
            Backoff delays = switch (backoff) {
                case FIXED -> Backoff.fixed(initialDelay);
                case EXPONENTIAL -> Backoff.exponential(initialDelay, multiplier, maxDelay, jitter);
                case FIBONACCI -> Backoff.fibonacci(initialDelay, maxDelay);
                case DECORRELATED_JITTER -> Backoff.decorrelatedJitter(initialDelay, maxDelay);
            };
            RetryConfig.Builder builder = Retry.builder(name).maxRetries(maxRetries).backoff(delays);
            if (maxDuration != null) {
                builder.maxDuration(maxDuration);
            }
            return builder.build();
        }
    }

    /**
     * {@code bulkhead:} settings.
     *
     * @param maxConcurrentCalls calls to the adapter allowed at once
     * @param maxWait how long a call may wait for room
     * @param maxWaitingCalls how many calls may wait at once ({@code max_waiting_calls}, default unbounded)
     */
    public record BulkheadSettings(int maxConcurrentCalls, Duration maxWait, int maxWaitingCalls) {
        /** A bulkhead called {@code name}. @throws dev.bulwark.ConfigException for an invalid setting */
        public Bulkhead build(String name) {
            return Bulkhead.builder(name, maxConcurrentCalls).maxWait(maxWait).maxWaitingCalls(maxWaitingCalls).build();
        }
    }

    /**
     * {@code rate_limit:} settings.
     *
     * @param permitsPerSecond the sustained rate
     * @param burst calls allowed at once above the rate (0: one second's worth)
     * @param maxWait how long a call may wait for its turn
     */
    public record RateLimitSettings(double permitsPerSecond, int burst, Duration maxWait) {
        /** A rate limiter called {@code name}. @throws dev.bulwark.ConfigException for an invalid setting */
        public RateLimiter build(String name) {
            RateLimiterConfig.Builder builder = RateLimiter.builder(name, permitsPerSecond).maxWait(maxWait);
            return (burst > 0 ? builder.burst(burst) : builder).build();
        }
    }

    /**
     * {@code hedge:} settings.
     *
     * @param delay how long to wait for the first attempt before starting a backup
     * @param maxHedges backup attempts per call
     */
    public record HedgeSettings(Duration delay, int maxHedges) {
        /** A hedge called {@code name}. @throws dev.bulwark.ConfigException for an invalid setting */
        public Hedge build(String name) {
            return Hedge.builder(name, delay).maxHedges(maxHedges).build();
        }
    }
}
