package dev.bulwark.circuit;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The calls of the last {@code seconds} seconds in one-second buckets. A bucket is replaced, not
 * cleared, when its second comes round again, so a success never races a reset: it reads its bucket and
 * bumps that bucket's striped counter. One bucket is allocated per second of traffic, none per call.
 */
final class TimeWindow extends OutcomeWindow {
    private static final long SECOND = 1_000_000_000L;

    private static final class Bucket {
        final long epoch;
        final LongAdder calls = new LongAdder();
        int failures; // guarded by the window
        int slow; // guarded by the window

        Bucket(long epoch) {
            this.epoch = epoch;
        }
    }

    private final int seconds;
    private final LongAdder totalCalls;
    private final long originNanos;
    private final AtomicReferenceArray<Bucket> buckets;
    private volatile long lastEventEpoch = Long.MIN_VALUE / 2;

    TimeWindow(int seconds, LongAdder totalCalls, long originNanos) {
        this.seconds = seconds;
        this.totalCalls = totalCalls;
        this.originNanos = originNanos;
        this.buckets = new AtomicReferenceArray<>(seconds);
    }

    @Override
    boolean recordSuccess(long nowNanos) {
        long epoch = epoch(nowNanos);
        int index = (int) Math.floorMod(epoch, (long) seconds);
        Bucket bucket = buckets.get(index);
        boolean rotated = false;
        if (bucket == null || bucket.epoch < epoch) {
            rotated = true;
            bucket = rotate(index, bucket, epoch);
        }
        bucket.calls.increment();
        totalCalls.increment();
        // a failure may just have aged out, or the minimum been reached: re-judge once per second at most
        return rotated && lastEventEpoch > epoch - seconds - 1;
    }

    @Override
    synchronized WindowCounts recordEvent(boolean failure, boolean slowCall, long nowNanos) {
        long epoch = epoch(nowNanos);
        int index = (int) Math.floorMod(epoch, (long) seconds);
        Bucket bucket = buckets.get(index);
        if (bucket == null || bucket.epoch < epoch) {
            bucket = rotate(index, bucket, epoch);
        }
        bucket.calls.increment();
        totalCalls.increment();
        bucket.failures += failure ? 1 : 0;
        bucket.slow += slowCall ? 1 : 0;
        lastEventEpoch = Math.max(lastEventEpoch, bucket.epoch);
        return sum(epoch);
    }

    @Override
    synchronized WindowCounts refresh(long nowNanos) {
        return sum(epoch(nowNanos));
    }

    private Bucket rotate(int index, Bucket seen, long epoch) {
        Bucket fresh = new Bucket(epoch);
        if (buckets.compareAndSet(index, seen, fresh)) {
            return fresh;
        }
        Bucket winner = buckets.get(index);
        return winner != null && winner.epoch >= epoch ? winner : rotate(index, winner, epoch);
    }

    private WindowCounts sum(long epoch) {
        long calls = 0;
        int failures = 0;
        int slow = 0;
        for (int i = 0; i < seconds; i++) {
            Bucket bucket = buckets.get(i);
            if (bucket != null && bucket.epoch > epoch - seconds && bucket.epoch <= epoch) {
                calls += bucket.calls.sum();
                failures += bucket.failures;
                slow += bucket.slow;
            }
        }
        int inWindow = (int) Math.min(calls, Integer.MAX_VALUE);
        return new WindowCounts(inWindow, Math.min(failures, inWindow), Math.min(slow, inWindow));
    }

    private long epoch(long nowNanos) {
        return Math.floorDiv(nowNanos - originNanos, SECOND);
    }
}
