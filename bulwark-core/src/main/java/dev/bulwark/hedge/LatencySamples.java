package dev.bulwark.hedge;

import java.util.Arrays;

/** The last {@link #CAPACITY} successful latencies and a cached percentile of them. Thread-safe. */
final class LatencySamples {
    static final int CAPACITY = 1000;
    private static final int RECOMPUTE_EVERY = 10;

    private final long[] samples = new long[CAPACITY];
    private final double percentile;
    private int count;
    private int next;
    private volatile long cached = -1L;

    LatencySamples(double percentile) {
        this.percentile = percentile;
    }

    synchronized void record(long nanos) {
        samples[next] = nanos;
        next = (next + 1) % CAPACITY;
        count = Math.min(CAPACITY, count + 1);
        if (count % RECOMPUTE_EVERY == 0 || count < RECOMPUTE_EVERY) {
            long[] sorted = Arrays.copyOf(samples, count);
            Arrays.sort(sorted);
            cached = sorted[(int) Math.min(count - 1, Math.ceil(percentile * count) - 1)];
        }
    }

    synchronized int count() {
        return count;
    }

    /** The percentile, or -1 before any sample. */
    long percentileNanos() {
        return cached;
    }
}
