package dev.bulwark.bulkhead;

import dev.bulwark.RejectedException;
import dev.bulwark.internal.Outcomes;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The adaptive limiter: a bulkhead whose limit an algorithm moves after every call. */
final class DefaultAdaptiveLimiter extends PermitPolicy implements AdaptiveLimiter {
    private final int minLimit;
    private final int maxLimit;
    private final AdaptiveLimiter.Algorithm algorithm;

    DefaultAdaptiveLimiter(String name, int initialLimit, int minLimit, int maxLimit, AdaptiveLimiter.Algorithm algorithm,
                           Duration maxWait, Clock clock, Scheduler scheduler) {
        super("adaptive limiter", name, new Permits(initialLimit), maxWait, clock, scheduler);
        this.minLimit = minLimit;
        this.maxLimit = maxLimit;
        this.algorithm = algorithm;
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
