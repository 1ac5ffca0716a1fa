package dev.bulwark.retry;

import dev.bulwark.ConfigException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/** The backoff behind {@link Backoff#adaptive}: one delay shared by every call, scaled after each attempt. */
final class AdaptiveBackoff implements Backoff {
    private final double successReduction;
    private final double failureIncrease;
    private final long min;
    private final long max;
    private final AtomicLong current;

    /**
     * @throws ConfigException if a factor is outside its range or {@code min > max}
     */
    AdaptiveBackoff(Duration initial, double successReduction, double failureIncrease, Duration min, Duration max) {
        if (!(successReduction > 0 && successReduction <= 1)) {
            throw new ConfigException("adaptive backoff", "successReduction", successReduction, "in (0.0, 1.0]");
        }
        if (!(failureIncrease >= 1 && failureIncrease <= 100)) {
            throw new ConfigException("adaptive backoff", "failureIncrease", failureIncrease, "in [1.0, 100.0]");
        }
        this.successReduction = successReduction;
        this.failureIncrease = failureIncrease;
        this.min = Backoffs.nanos("min", min);
        this.max = Backoffs.nanos("max", max);
        if (this.min > this.max) {
            throw new ConfigException("adaptive backoff", "min", min, "<= max (" + max + ")");
        }
        this.current = new AtomicLong(Math.min(this.max, Math.max(this.min, Backoffs.nanos("initial", initial))));
    }

    @Override
    public long delayNanos(int retry, long previousDelayNanos, Random random) {
        return current.get();
    }

    /** The delay the next retry would use. */
    Duration currentDelay() {
        return Duration.ofNanos(current.get());
    }

    @Override
    public void onSuccess() {
        scale(successReduction);
    }

    @Override
    public void onFailure() {
        scale(failureIncrease);
    }

    private void scale(double factor) {
        current.updateAndGet(delay -> Math.max(min, Backoffs.cap(delay * factor, max)));
    }
}
