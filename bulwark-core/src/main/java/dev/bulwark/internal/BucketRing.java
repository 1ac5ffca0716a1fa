package dev.bulwark.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * A ring of {@code length} epoch-stamped buckets, each covering {@code bucketNanos} of time: the
 * buckets of the last {@code length} epochs form a sliding window. A bucket whose slot comes round
 * again is replaced by compare-and-set, never cleared, so recording takes no lock and allocates one
 * bucket per epoch of traffic, none per call. What a bucket counts is the caller's: the factory makes
 * it. Times are {@code System.nanoTime}-style and may overflow: only differences are used.
 *
 * <p>This class is thread-safe.
 *
 * @param <B> the bucket type
 */
public final class BucketRing<B extends BucketRing.Bucket> {

    /** One epoch's bucket: callers extend it with their counters. */
    public abstract static class Bucket {
        private final long epoch;
        private final long startNanos;

        protected Bucket(long epoch, long startNanos) {
            this.epoch = epoch;
            this.startNanos = startNanos;
        }

        /** The epoch this bucket covers (0 for the epoch that held the ring's origin). */
        public final long epoch() {
            return epoch;
        }

        /** When this bucket's epoch began. */
        public final long startNanos() {
            return startNanos;
        }
    }

    /** Makes the bucket of an epoch; may be called and discarded when another thread wins the slot. */
    @FunctionalInterface
    public interface Factory<B> {
        B create(long epoch, long startNanos);
    }

    private final int length;
    private final long bucketNanos;
    private final long originNanos;
    private final Factory<B> factory;
    private final AtomicReferenceArray<@Nullable B> buckets;
    /** The bucket of the latest epoch seen: most writes land in it, found without a division. */
    private volatile B latest;

    /** A ring whose epoch 0 begins at {@code originNanos}; that epoch's bucket exists from the start. */
    public BucketRing(int length, long bucketNanos, long originNanos, Factory<B> factory) {
        if (length < 1) {
            throw new IllegalArgumentException("length must be >= 1, was " + length);
        }
        if (bucketNanos < 1) {
            throw new IllegalArgumentException("bucketNanos must be >= 1, was " + bucketNanos);
        }
        this.length = length;
        this.bucketNanos = bucketNanos;
        this.originNanos = originNanos;
        this.factory = factory;
        this.buckets = new AtomicReferenceArray<>(length);
        this.latest = factory.create(0, originNanos);
        buckets.set(0, latest);
    }

    /** How many buckets the window spans. */
    public int length() {
        return length;
    }

    /** The epoch that holds {@code nowNanos}. */
    public long epoch(long nowNanos) {
        return Math.floorDiv(nowNanos - originNanos, bucketNanos);
    }

    /** The bucket of the latest epoch written so far. */
    public B latest() {
        return latest;
    }

    /** Whether {@code nowNanos} falls in {@code bucket}'s epoch: a check without a division. */
    public boolean covers(B bucket, long nowNanos) {
        long into = nowNanos - bucket.startNanos();
        return into >= 0 && into < bucketNanos;
    }

    /**
     * The bucket of {@code nowNanos}'s epoch, replacing the stale bucket in its slot when needed. A time
     * so late that its slot already holds a newer epoch gets that newer bucket: it is counted, not lost.
     */
    public B bucketAt(long nowNanos) {
        B newest = latest;
        return covers(newest, nowNanos) ? newest : bucketOf(epoch(nowNanos));
    }

    private B bucketOf(long epoch) {
        int index = (int) Math.floorMod(epoch, (long) length);
        while (true) {
            B seen = buckets.get(index);
            if (seen != null && seen.epoch() >= epoch) {
                if (seen.epoch() == epoch) {
                    advanceLatest(seen);
                }
                return seen;
            }
            B fresh = factory.create(epoch, originNanos + epoch * bucketNanos);
            if (buckets.compareAndSet(index, seen, fresh)) {
                advanceLatest(fresh);
                return fresh;
            }
        }
    }

    private void advanceLatest(B bucket) {
        B newest = latest;
        while (newest.epoch() < bucket.epoch()) {
            latest = bucket; // a racing older write may land last; the next write of a newer epoch fixes it
            newest = latest;
        }
    }

    /**
     * The bucket in slot {@code index} when it lies inside the window that ends with {@code epoch},
     * else null. Callers sum a window by looping over {@code 0 <= index < length()}.
     */
    public @Nullable B inWindow(int index, long epoch) {
        B bucket = buckets.get(index);
        return bucket != null && bucket.epoch() > epoch - length && bucket.epoch() <= epoch ? bucket : null;
    }
}
