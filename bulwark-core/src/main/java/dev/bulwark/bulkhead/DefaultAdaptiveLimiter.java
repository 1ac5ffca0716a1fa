package dev.bulwark.bulkhead;

import dev.bulwark.RejectedException;
import dev.bulwark.internal.Outcomes;
import org.jspecify.annotations.Nullable;

/** The adaptive limiter: a bulkhead whose limit an algorithm moves after every call. */
final class DefaultAdaptiveLimiter extends PermitPolicy implements AdaptiveLimiter {
    private final int minLimit;
    private final int maxLimit;
    private final AdaptiveLimiter.Algorithm algorithm;

    private final AdaptiveLimiterConfig config;

    DefaultAdaptiveLimiter(AdaptiveLimiterConfig config) {
        super("adaptive limiter", config.name(), new Permits(config.initialLimit()), config.maxWait(), config.clock(),
                config.scheduler());
        this.config = config;
        this.minLimit = config.minLimit();
        this.maxLimit = config.maxLimit();
        // a config may build several limiters: each learns on its own copy of a built-in algorithm's state
        this.algorithm = config.algorithm() instanceof GradientLimit gradient ? gradient.fresh() : config.algorithm();
    }

    @Override
    public AdaptiveLimiterConfig config() {
        return config;
    }

    @Override
    long onStart() {
        return clock().nanoTime();
    }

    @Override
    void onEnd(long started, @Nullable Throwable failure) {
        boolean dropped = failure != null && (Outcomes.isTimeout(failure) || failure instanceof RejectedException);
        if (failure != null && !dropped) {
            return; // the dependency answered: an error of the call says nothing about capacity
        }
        long rtt = clock().nanoTime() - started;
        int before;
        int after;
        synchronized (this) {
            before = permits.limit();
            int proposed = algorithm.update(before, rtt, permits.inFlight(), dropped);
            after = Math.max(minLimit, Math.min(maxLimit, proposed));
            if (after != proposed && algorithm instanceof GradientLimit gradient) {
                gradient.bounded(after);
            }
            if (after != before) {
                permits.limit(after);
            }
        }
        if (after > before) {
            permits.handOver();
        }
        if (after != before) {
            publish(new Bulkhead.Event.LimitChanged(name(), before, after));
        }
    }

    @Override
    public int limit() {
        return permits.limit();
    }
}
