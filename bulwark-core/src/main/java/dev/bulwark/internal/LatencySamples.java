package dev.bulwark.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * The last {@code capacity} durations in a fixed ring, with percentile, mean and jitter reads. Writers
 * claim a slot with one compare-and-set: no lock, no allocation, no sample lost while the ring has room.
 * Reads see a recent snapshot; a slot claimed but not yet written is skipped.
 *
 * <p>Like a {@code LongAdder}, the ring spreads out once writers collide: the first failed claim turns on
 * up to {@value #STRIPES} per-thread stripes, each a ring of {@code capacity} made when a thread first
 * writes to it, so concurrent writers stop bouncing one cache line. Reads then merge every ring: up to
 * {@code capacity} recent samples per ring (a stripe idle since its writer left still holds its last ones).
 * A single writer never turns stripes on and keeps exactly the last {@code capacity}.
 *
 * <p>This class is thread-safe.
 */
public final class LatencySamples {
    private static final long UNWRITTEN = -1L;
    private static final int STRIPES = 4;

    private final int capacity;
    private final Ring base;
    private volatile @Nullable AtomicReferenceArray<@Nullable Ring> stripes;

    public LatencySamples(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
        this.base = new Ring(capacity);
    }

    /**
     * Records one duration (negative ones are not durations and are ignored).
     *
     * @return true when this sample filled the last slot of its ring (the ring wraps after it)
     */
    public boolean record(long nanos) {
        if (nanos < 0) {
            return false;
        }
        AtomicReferenceArray<@Nullable Ring> striped = stripes;
        if (striped == null) {
            int filled = base.tryRecord(nanos);
            if (filled != Ring.CONTENDED) {
                return filled == 1;
            }
            striped = stripes();
        }
        return stripeOf(striped).record(nanos);
    }

    private AtomicReferenceArray<@Nullable Ring> stripes() {
        AtomicReferenceArray<@Nullable Ring> striped = stripes;
        if (striped == null) {
            synchronized (this) {
                striped = stripes;
                if (striped == null) {
                    striped = new AtomicReferenceArray<>(STRIPES);
                    stripes = striped;
                }
            }
        }
        return striped;
    }

    @SuppressWarnings("deprecation") // Thread.getId: threadId() is Java 19+
    private Ring stripeOf(AtomicReferenceArray<@Nullable Ring> striped) {
        int index = (int) Thread.currentThread().getId() & (STRIPES - 1);
        Ring ring = striped.get(index);
        if (ring == null) {
            Ring fresh = new Ring(capacity);
            ring = striped.compareAndSet(index, null, fresh) ? fresh : striped.get(index);
        }
        return java.util.Objects.requireNonNull(ring);
    }

    /** How many samples the rings hold (recorded so far, at most the capacity per ring). */
    public int count() {
        int held = base.count();
        AtomicReferenceArray<@Nullable Ring> striped = stripes;
        if (striped != null) {
            for (int i = 0; i < STRIPES; i++) {
                Ring ring = striped.get(i);
                held += ring == null ? 0 : ring.count();
            }
        }
        return held;
    }

    /** The capacity of a ring. */
    public int capacity() {
        return capacity;
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
        long[] held = snapshot();
        if (held.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double sum = 0;
        double sumOfSquares = 0;
        for (long nanos : held) {
            double millis = nanos / 1_000_000.0;
            sum += millis;
            sumOfSquares += millis * millis;
        }
        double mean = sum / held.length;
        double variance = Math.max(0, sumOfSquares / held.length - mean * mean);
        return new double[] {mean, Math.sqrt(variance)};
    }

    private long[] snapshot() {
        long[] copy = new long[count()];
        int count = base.copyInto(copy, 0);
        AtomicReferenceArray<@Nullable Ring> striped = stripes;
        if (striped != null) {
            for (int i = 0; i < STRIPES; i++) {
                Ring ring = striped.get(i);
                count = ring == null ? count : ring.copyInto(copy, count);
            }
        }
        return count == copy.length ? copy : Arrays.copyOf(copy, count);
    }

    /**
     * One ring with its claim cursor alone on a cache line (padding on both sides). The cursor is the next slot and
     * wraps at the ring's end, so a claim costs no division (a remainder of an ever-growing count was a 64-bit
     * division on every recorded call).
     */
    @SuppressWarnings("unused")
    private static final class Ring {
        static final int CONTENDED = -1;
        private static final VarHandle CURSOR = VarHandles.field(MethodHandles.lookup(), "cursor", int.class);

        private long p1;
        private long p2;
        private long p3;
        private long p4;
        private long p5;
        private long p6;
        private long p7;
        private volatile int cursor;
        /** Set once the cursor is about to wrap: from then on every slot may hold a sample. */
        private volatile boolean wrapped;
        private long q1;
        private long q2;
        private long q3;
        private long q4;
        private long q5;
        private long q6;
        private long q7;
        private final AtomicLongArray samples;

        Ring(int capacity) {
            samples = new AtomicLongArray(capacity);
            for (int i = 0; i < capacity; i++) {
                samples.setPlain(i, UNWRITTEN);
            }
        }

        /** 1 if the sample filled the last slot, 0 if not, {@link #CONTENDED} if another writer won the slot. */
        int tryRecord(long nanos) {
            int claimed = cursor;
            int next = nextAfter(claimed);
            if (!CURSOR.compareAndSet(this, claimed, next)) {
                return CONTENDED;
            }
            samples.setRelease(claimed, nanos);
            return next == 0 ? 1 : 0;
        }

        /** Records until a slot is won (a stripe's ring is rarely contended); true if it filled the last slot. */
        boolean record(long nanos) {
            int filled;
            while ((filled = tryRecord(nanos)) == CONTENDED) {
                Thread.onSpinWait();
            }
            return filled == 1;
        }

        /**
         * The slot after {@code claimed}; marks the ring wrapped before the claim that wraps it, so that
         * {@link #count} never says fewer than the slots written (a slot not yet written is skipped when read).
         */
        private int nextAfter(int claimed) {
            int next = claimed + 1;
            if (next < samples.length()) {
                return next;
            }
            if (!wrapped) {
                wrapped = true;
            }
            return 0;
        }

        int count() {
            return wrapped ? samples.length() : cursor;
        }

        /** Copies the written samples into {@code into} from {@code at}; returns the index after the last one. */
        int copyInto(long[] into, int at) {
            int held = Math.min(count(), into.length - at);
            int next = at;
            for (int i = 0; i < held; i++) {
                long nanos = samples.getAcquire(i);
                if (nanos != UNWRITTEN) {
                    into[next++] = nanos;
                }
            }
            return next;
        }
    }
}
