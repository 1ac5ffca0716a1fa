package dev.bulwark.resource;

import dev.bulwark.internal.BucketRing;
import java.util.concurrent.atomic.DoubleAdder;

/** Amounts used over a sliding window, in the 60 slices of a {@link BucketRing}; recording takes no lock. */
final class UsageWindow {
    private static final int SLICES = 60;

    private static final class Slice extends BucketRing.Bucket {
        final DoubleAdder amount = new DoubleAdder();

        Slice(long epoch, long startNanos) {
            super(epoch, startNanos);
        }
    }

    private final BucketRing<Slice> ring;

    UsageWindow(long windowNanos, long originNanos) {
        this.ring = new BucketRing<>(SLICES, Math.max(1, windowNanos / SLICES), originNanos, Slice::new);
    }

    void add(long nowNanos, double amount) {
        ring.bucketAt(nowNanos).amount.add(amount);
    }

    double used(long nowNanos) {
        long epoch = ring.epoch(nowNanos);
        double total = 0;
        for (int i = 0; i < SLICES; i++) {
            Slice slice = ring.inWindow(i, epoch);
            if (slice != null) {
                total += slice.amount.sum();
            }
        }
        return total;
    }
}
