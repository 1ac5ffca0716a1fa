package dev.bulwark.circuit;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The last few call latencies (seed 3 keeps 50), for the health score's latency and jitter parts.
 * Writers race on the cursor without a lock: under contention a sample may overwrite another, which a
 * statistic over recent samples tolerates; no writer ever blocks or allocates.
 */
final class LatencyTracker {
    private final AtomicLongArray samples;
    private int cursor; // racy by design; only its value modulo the length matters
    private volatile int filled;

    LatencyTracker(int capacity) {
        samples = new AtomicLongArray(capacity);
    }

    /** Records one latency; returns true when the ring has just wrapped (a good moment to re-judge health). */
    boolean record(long nanos) {
        int index = cursor;
        int capacity = samples.length();
        if (index >= capacity || index < 0) {
            index = 0;
        }
        samples.setOpaque(index, nanos);
        cursor = index + 1;
        if (filled < capacity) {
            filled = Math.min(capacity, filled + 1);
        }
        return index == capacity - 1;
    }

    /** {mean, standard deviation} in milliseconds, or NaNs without samples. */
    double[] meanAndStdDevMillis() {
        int count = filled;
        if (count == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double sum = 0;
        double sumOfSquares = 0;
        for (int i = 0; i < count; i++) {
            double millis = samples.getOpaque(i) / 1_000_000.0;
            sum += millis;
            sumOfSquares += millis * millis;
        }
        double mean = sum / count;
        double variance = Math.max(0, sumOfSquares / count - mean * mean);
        return new double[] {mean, Math.sqrt(variance)};
    }
}
