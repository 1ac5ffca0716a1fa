package dev.bulwark.retry;

import dev.bulwark.ConfigException;
import java.time.Duration;
import java.util.Random;

/** The stateless backoffs. Each computes in double and caps, so no retry count can overflow. */
final class Backoffs {
    /** The exponent stops growing here, so no retry count can overflow. */
    static final int MAX_EXPONENT = 63;

    private Backoffs() {
    }

    record Fixed(long delay) implements Backoff {
        @Override
        public long delayNanos(int retry, long previousDelayNanos, Random random) {
            return delay;
        }
    }

    record Linear(long initial, long increment, long max) implements Backoff {
        @Override
        public long delayNanos(int retry, long previousDelayNanos, Random random) {
            return cap(initial + (double) increment * (Math.max(1, retry) - 1), max);
        }
    }

    record Exponential(long base, double multiplier, long max, double jitter) implements Backoff {
        @Override
        public long delayNanos(int retry, long previousDelayNanos, Random random) {
            double exponent = Math.min(Math.max(1, retry) - 1, MAX_EXPONENT);
            double delay = base * Math.pow(multiplier, exponent);
            if (jitter > 0) {
                delay = Math.min(delay, max) * (1 - jitter + 2 * jitter * random.nextDouble());
            }
            return cap(delay, max);
        }
    }

    record Fibonacci(long base, long max) implements Backoff {
        @Override
        public long delayNanos(int retry, long previousDelayNanos, Random random) {
            double previous = 0;
            double current = 1;
            for (int i = 1; i < retry && current * base < max; i++) {
                double next = previous + current;
                previous = current;
                current = next;
            }
            return cap(current * base, max);
        }
    }

    record DecorrelatedJitter(long base, long max) implements Backoff {
        @Override
        public long delayNanos(int retry, long previousDelayNanos, Random random) {
            double upper = Math.max(base, 3.0 * Math.max(previousDelayNanos, base));
            return cap(base + (upper - base) * random.nextDouble(), max);
        }
    }

    /** Another backoff's delay moved by uniform [-jitter, +jitter], clamped at zero. */
    record AbsoluteJitter(Backoff delays, long jitter) implements Backoff {
        @Override
        public long delayNanos(int retry, long previousDelayNanos, Random random) {
            double delay = delays.delayNanos(retry, previousDelayNanos, random)
                    + (2 * random.nextDouble() - 1) * jitter;
            return cap(delay, Long.MAX_VALUE);
        }

        @Override
        public void onSuccess() {
            delays.onSuccess();
        }

        @Override
        public void onFailure() {
            delays.onFailure();
        }
    }

    static long cap(double delay, long max) {
        return delay >= max || Double.isNaN(delay) ? max : Math.max(0, (long) delay);
    }

    static long nanos(String field, Duration duration) {
        if (duration == null || duration.isNegative()) {
            throw new ConfigException("backoff", field, duration, "a duration >= 0");
        }
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** The cap of a growing backoff: a duration at least its initial delay. */
    static long maxDelay(Duration initialDelay, Duration maxDelay) {
        long cap = nanos("maxDelay", maxDelay);
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new ConfigException("backoff", "maxDelay", maxDelay, ">= initialDelay (" + initialDelay + ")");
        }
        return cap;
    }

    static double multiplier(double multiplier) {
        if (!(multiplier >= 1.0 && multiplier <= 100.0)) {
            throw new ConfigException("backoff", "multiplier", multiplier, "in [1.0, 100.0]");
        }
        return multiplier;
    }

    static double jitter(double jitter) {
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new ConfigException("backoff", "jitter", jitter, "in [0.0, 1.0]");
        }
        return jitter;
    }
}
