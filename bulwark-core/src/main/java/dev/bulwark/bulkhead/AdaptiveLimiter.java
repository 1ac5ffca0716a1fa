package dev.bulwark.bulkhead;

import dev.bulwark.ConfigException;
import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import java.time.Duration;

/**
 * A concurrency limit that finds itself: it grows while latency holds and falls when latency rises or
 * calls are dropped (timeouts, downstream rejections), following an {@link Algorithm} (AIMD by
 * default, or a latency gradient). Calls over the limit are refused with a {@link BulkheadFullException}
 * (or wait up to {@code maxWait}). This interface's implementation is thread-safe.
 */
public interface AdaptiveLimiter extends Policy, EventSource<Bulkhead.Event> {

    /** A builder for a limiter called {@code name}, with every default of {@link AdaptiveLimiterConfig}. */
    static AdaptiveLimiterConfig.Builder builder(String name) {
        return AdaptiveLimiterConfig.builder(name);
    }

    /** A limiter with the given config. */
    static AdaptiveLimiter of(AdaptiveLimiterConfig config) {
        return new DefaultAdaptiveLimiter(config);
    }

    /** This limiter's settings. */
    AdaptiveLimiterConfig config();

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

    /**
     * How an {@link AdaptiveLimiter} moves its limit after each call. Called under the limiter's lock, one
     * sample at a time, so an implementation may keep state without synchronising. The built-in algorithms are
     * copied for each limiter; a custom one that keeps state is shared by every limiter built from the same config,
     * so give each such config its own instance.
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
