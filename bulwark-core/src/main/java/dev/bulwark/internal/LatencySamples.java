package dev.bulwark.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The last {@code capacity} durations in a fixed ring, with percentile, mean and jitter reads. Writers
 * claim a slot with one atomic increment: no lock, no allocation, no sample lost while the ring has room.
 * Reads see a recent snapshot; a slot claimed but not yet written is skipped.
 *
 * <p>This class is thread-safe.
 */
public final class LatencySamples {
    private static final long UNWRITTEN = -1L;

    private final AtomicLongArray samples;
    private final AtomicLong recorded = new AtomicLong();

    public LatencySamples(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        samples = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) {
            samples.setPlain(i, UNWRITTEN);
        }
    }

    /**
     * Records one duration (negative ones are not durations and are ignored).
     *
     * @return true when this sample filled the ring's last slot (the ring wraps after it)
     */
    public boolean record(long nanos) {
        if (nanos < 0) {
            return false;
        }
        int capacity = samples.length();
        int index = (int) Math.floorMod(recorded.getAndIncrement(), (long) capacity);
        samples.setRelease(index, nanos);
        return index == capacity - 1;
    }

    /** How many samples the ring holds (recorded so far, at most the capacity). */
    public int count() {
        return (int) Math.min(recorded.get(), samples.length());
    }

    /** The ring's capacity. */
    public int capacity() {
        return samples.length();
    }

    /**
     * The nearest-rank percentile of the samples held, {@code fraction} in (0, 1]; -1 without samples.
     */
    public long percentileNanos(double fraction) {
        long[] sorted = snapshot();
        if (sorted.length == 0) {
            return -1L;
        }
        Arrays.sort(sorted);
        return sorted[(int) Math.max(0, Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1))];
    }

    /** {mean, standard deviation (jitter)} in milliseconds, or NaNs without samples. */
    public double[] meanAndStdDevMillis() {
        int held = count();
        int count = 0;
        double sum = 0;
        double sumOfSquares = 0;
        for (int i = 0; i < held; i++) {
            long nanos = samples.getAcquire(i);
            if (nanos != UNWRITTEN) {
                double millis = nanos / 1_000_000.0;
                sum += millis;
                sumOfSquares += millis * millis;
                count++;
            }
        }
        if (count == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mean = sum / count;
        double variance = Math.max(0, sumOfSquares / count - mean * mean);
        return new double[] {mean, Math.sqrt(variance)};
    }

    private long[] snapshot() {
        int held = count();
        long[] copy = new long[held];
        int count = 0;
        for (int i = 0; i < held; i++) {
            long nanos = samples.getAcquire(i);
            if (nanos != UNWRITTEN) {
                copy[count++] = nanos;
            }
        }
        return count == held ? copy : Arrays.copyOf(copy, count);
    }
}
