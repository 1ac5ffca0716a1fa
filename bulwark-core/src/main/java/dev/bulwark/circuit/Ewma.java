package dev.bulwark.circuit;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The adaptive threshold's error level: an exponentially weighted moving average of the window's error rate,
 * with its variance, updated lock-free. Each sample is the failure fraction of the current window, so a
 * short spike moves it little while a sustained error rate pulls it up.
 *
 * <p>Mean and variance are packed as two floats in one long so a single CAS updates both; once both
 * decay below {@link #FLOOR} they are stored as zero, which lets the success path skip the update.
 */
final class Ewma {
    static final double FLOOR = 1e-6;

    private final double alpha;
    private final AtomicLong packed = new AtomicLong();

    Ewma(double alpha) {
        this.alpha = alpha;
    }

    /** Folds one sample (an error fraction in [0, 1]) into the average. */
    void update(double sample) {
        long current;
        long next;
        do {
            current = packed.get();
            next = pack(step(mean(current), variance(current), alpha, sample));
        } while (current != next && !packed.compareAndSet(current, next));
    }

    /** True while both mean and variance are zero: nothing to decay. */
    boolean isIdle() {
        return packed.get() == 0L;
    }

    double mean() {
        return mean(packed.get());
    }

    double variance() {
        return variance(packed.get());
    }

    /** {@code mean + sensitivity * standardDeviation}, the level the threshold scaling reads. */
    double level(double sensitivity) {
        long value = packed.get();
        return mean(value) + sensitivity * Math.sqrt(variance(value));
    }

    void clear() {
        packed.set(0L);
    }

    /**
     * One EWMA step: {@code diff = x - mean; mean += alpha * diff; variance = (1 - alpha) * (variance + diff * alpha * diff)}.
     *
     * @return {mean, variance}
     */
    static double[] step(double mean, double variance, double alpha, double sample) {
        double diff = sample - mean;
        double increment = alpha * diff;
        return new double[] {mean + increment, (1 - alpha) * (variance + diff * increment)};
    }

    /**
     * The scaling of the base threshold by error level: above 0.7 divide by 3, above 0.5 divide by 2,
     * above 0.3 take three quarters, otherwise keep it; never below 1.
     */
    static int scaledThreshold(int base, double level) {
        int scaled;
        if (level > 0.7) {
            scaled = base / 3;
        } else if (level > 0.5) {
            scaled = base / 2;
        } else if (level > 0.3) {
            scaled = base * 3 / 4;
        } else {
            scaled = base;
        }
        return Math.max(1, scaled);
    }

    private static long pack(double[] meanAndVariance) {
        float mean = meanAndVariance[0] < FLOOR ? 0f : (float) meanAndVariance[0];
        float variance = meanAndVariance[1] < FLOOR ? 0f : (float) meanAndVariance[1];
        return ((long) Float.floatToRawIntBits(mean) << 32) | (Float.floatToRawIntBits(variance) & 0xFFFF_FFFFL);
    }

    private static double mean(long packed) {
        return Float.intBitsToFloat((int) (packed >>> 32));
    }

    private static double variance(long packed) {
        return Float.intBitsToFloat((int) packed);
    }
}
