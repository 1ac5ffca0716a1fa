package dev.bulwark.bulkhead;

import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.TimedBuilder;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import dev.bulwark.ConfigException;

/**
 * A concurrency limit that finds itself: it grows while latency holds and falls when latency rises or
 * calls are dropped (timeouts, downstream rejections), following a {@link AdaptiveLimiter.Algorithm} (AIMD by
 * default, or a latency gradient). Calls over the limit are refused with a {@link BulkheadFullException}
 * (or wait up to {@code maxWait}). This interface's implementation is thread-safe.
 */
public interface AdaptiveLimiter extends Policy, EventSource<Bulkhead.Event> {

    /** A builder for a limiter called {@code name}. */
    static Builder builder(String name) {
        return new Builder(name);
    }

    /** The limit now. */
    int limit();

    /** Calls running now. */
    int inFlight();

    /** Calls refused so far. */
    long rejectedCalls();

    @Override
    default Class<? extends Component> kind() {
        return AdaptiveLimiter.class;
    }

    /** Builds an {@link AdaptiveLimiter}. Each setting may be given once; a second call fails naming it. Not thread-safe. */
    final class Builder extends TimedBuilder<Builder> {
        private final String name;
        private int initialLimit = 20;
        private int minLimit = 1;
        private int maxLimit = 200;
        private AdaptiveLimiter.Algorithm algorithm = AdaptiveLimiter.Algorithm.aimd(0.9, Duration.ofSeconds(5));
        private Duration maxWait = Duration.ZERO;

        private Builder(String name) {
            this.name = name;
        }

        @Override
        protected String component() {
            return "adaptive limiter '" + name + "'";
        }

        /** The starting limit (default 20). */
        public Builder initialLimit(int limit) {
            given("initialLimit");
            this.initialLimit = limit;
            return this;
        }

        /** The lowest the limit may go (default 1). */
        public Builder minLimit(int limit) {
            given("minLimit");
            this.minLimit = limit;
            return this;
        }

        /** The highest the limit may go (default 200). */
        public Builder maxLimit(int limit) {
            given("maxLimit");
            this.maxLimit = limit;
            return this;
        }

        /** How the limit moves (default AIMD: backoff 0.9, drop above 5 s). */
        public Builder algorithm(AdaptiveLimiter.Algorithm algorithm) {
            given("algorithm");
            this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
            return this;
        }

        /** How long a call may wait for room (default zero). */
        public Builder maxWait(Duration maxWait) {
            given("maxWait");
            this.maxWait = maxWait;
            return this;
        }

        /** The limiter. @throws dev.bulwark.ConfigException for an invalid setting */
        public AdaptiveLimiter build() {
            String who = "adaptive limiter '" + Checks.name("adaptive limiter", name) + "'";
            Checks.between(who, "minLimit", minLimit, 1, 1_000_000);
            Checks.between(who, "maxLimit", maxLimit, minLimit, 1_000_000);
            Checks.between(who, "initialLimit", initialLimit, minLimit, maxLimit);
            Checks.notNegative(who, "maxWait", maxWait);
            return new DefaultAdaptiveLimiter(name, initialLimit, minLimit, maxLimit, algorithm, maxWait, configuredClock(), configuredScheduler());
        }
    }

    /**
     * How an {@link AdaptiveLimiter} moves its limit after each call. Called under the limiter's lock, one
     * sample at a time, so an implementation may keep state without synchronising.
     */
    interface Algorithm {

        /**
         * The new limit after a call that took {@code rttNanos} while {@code inFlight} calls (itself included)
         * were running; {@code dropped} when it timed out or was refused downstream. The limiter keeps the
         * result within its bounds.
         */
        int update(int limit, long rttNanos, int inFlight, boolean dropped);

        /**
         * Additive increase, multiplicative decrease: one more permit after a success that used at least half
         * the limit; the limit times {@code backoffRatio} after a drop or a call slower than {@code dropLatency}.
         */
        static Algorithm aimd(double backoffRatio, Duration dropLatency) {
            if (!(backoffRatio >= 0.5 && backoffRatio < 1.0)) {
                throw new ConfigException("aimd", "backoffRatio", backoffRatio, "in [0.5, 1.0)");
            }
            if (dropLatency == null || dropLatency.isNegative() || dropLatency.isZero()) {
                throw new ConfigException("aimd", "dropLatency", dropLatency, "a positive duration");
            }
            long dropNanos = dropLatency.toNanos();
            return (limit, rttNanos, inFlight, dropped) -> {
                if (dropped || rttNanos > dropNanos) {
                    return (int) (limit * backoffRatio);
                }
                return inFlight * 2 >= limit ? limit + 1 : limit;
            };
        }

        /**
         * A latency gradient: the ratio of the lowest latency seen (no load) to the current one, times
         * {@code tolerance}, clamped to [0.5, 1], scales the limit, and a queue allowance of sqrt(limit) lets
         * it grow while latency holds. {@code smoothing} in (0, 1] weighs each new estimate. The no-load latency
         * is re-learned every 1000 samples so that it can follow a dependency that got slower for good.
         */
        static Algorithm gradient(double tolerance, double smoothing) {
            if (!(tolerance >= 1.0 && tolerance <= 10.0)) {
                throw new ConfigException("gradient", "tolerance", tolerance, "in [1.0, 10.0]");
            }
            if (!(smoothing > 0 && smoothing <= 1.0)) {
                throw new ConfigException("gradient", "smoothing", smoothing, "in (0.0, 1.0]");
            }
            return new GradientLimit(tolerance, smoothing);
        }
    }
}
