package dev.bulwark.resource;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.DoubleAdder;

/** Amounts used over a sliding window, in 60 slices; recording takes no lock. */
final class UsageWindow {
    private static final int SLICES = 60;

    private record Slice(long epoch, DoubleAdder amount) {
    }

    private final long sliceNanos;
    private final long originNanos;
    private final AtomicReferenceArray<Slice> slices = new AtomicReferenceArray<>(SLICES);

    UsageWindow(long windowNanos, long originNanos) {
        this.sliceNanos = Math.max(1, windowNanos / SLICES);
        this.originNanos = originNanos;
    }

    void add(long nowNanos, double amount) {
        long epoch = Math.floorDiv(nowNanos - originNanos, sliceNanos);
        int index = (int) Math.floorMod(epoch, (long) SLICES);
        while (true) {
            Slice slice = slices.get(index);
            if (slice != null && slice.epoch() >= epoch) {
                slice.amount().add(amount);
                return;
            }
            Slice fresh = new Slice(epoch, new DoubleAdder());
            if (slices.compareAndSet(index, slice, fresh)) {
                fresh.amount().add(amount);
                return;
            }
        }
    }

    double used(long nowNanos) {
        long epoch = Math.floorDiv(nowNanos - originNanos, sliceNanos);
        double total = 0;
        for (int i = 0; i < SLICES; i++) {
            Slice slice = slices.get(i);
            if (slice != null && slice.epoch() > epoch - SLICES && slice.epoch() <= epoch) {
                total += slice.amount().sum();
            }
        }
        return total;
    }
}
