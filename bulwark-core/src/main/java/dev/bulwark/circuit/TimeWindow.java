package dev.bulwark.circuit;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The calls of the last {@code seconds} seconds, in one-second buckets.
 *
 * <p>A success bumps only the breaker's striped call counter: each bucket remembers the counter's value
 * when its second began, so the calls in the window are the counter now minus the start of the oldest
 * bucket still inside it. Failures and slow calls are counted per bucket under the window's lock. A
 * bucket is replaced, never cleared, when its slot comes round again: one small allocation per second of
 * traffic, none per call.
 */
final class TimeWindow extends OutcomeWindow {
    private static final long SECOND = 1_000_000_000L;

    private static final class Bucket {
        final long epoch;
        final long startNanos;
        final long startCalls;
        int failures; // guarded by the window
        int slow; // guarded by the window

        Bucket(long epoch, long startNanos, long startCalls) {
            this.epoch = epoch;
            this.startNanos = startNanos;
            this.startCalls = startCalls;
        }
    }

    private final int seconds;
    private final LongAdder calls;
    private final long originNanos;
    private final AtomicReferenceArray<Bucket> buckets;
    private volatile long lastEventEpoch = Long.MIN_VALUE / 2;
    /** The bucket of the latest second seen: most calls land in it, found without a division. */
    private volatile Bucket current;

    TimeWindow(int seconds, LongAdder calls, long originNanos) {
        this.seconds = seconds;
        this.calls = calls;
        this.originNanos = originNanos;
        this.buckets = new AtomicReferenceArray<>(seconds);
        this.current = new Bucket(0, originNanos, calls.sum());
        buckets.set(0, current);
    }

    @Override
    boolean recordSuccess(long nowNanos) {
        Bucket latest = current;
        long intoSecond = nowNanos - latest.startNanos;
        if (intoSecond >= 0 && intoSecond < SECOND) {
            calls.increment();
            return false;
        }
        return recordSuccessInNewSecond(nowNanos);
    }

    private boolean recordSuccessInNewSecond(long nowNanos) {
        long epoch = epoch(nowNanos);
        int index = (int) Math.floorMod(epoch, (long) seconds);
        Bucket bucket = buckets.get(index);
        boolean rotated = false;
        if (bucket == null || bucket.epoch < epoch) {
            rotate(index, bucket, epoch);
            rotated = true;
        } else if (bucket.epoch == epoch && current.epoch < epoch) {
            current = bucket;
        }
        calls.increment();
        // a failure may just have aged out, or the minimum been reached: re-judge at most once per second
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
        calls.increment();
        bucket.failures += failure ? 1 : 0;
        bucket.slow += slowCall ? 1 : 0;
        lastEventEpoch = Math.max(lastEventEpoch, bucket.epoch);
        return sum(epoch);
    }

    @Override
    synchronized WindowCounts refresh(long nowNanos) {
        return sum(epoch(nowNanos));
    }

    @Override
    boolean hasEvents(long nowNanos) {
        return lastEventEpoch > epoch(nowNanos) - seconds;
    }

    private Bucket rotate(int index, Bucket seen, long epoch) {
        Bucket fresh = new Bucket(epoch, originNanos + epoch * SECOND, calls.sum());
        if (buckets.compareAndSet(index, seen, fresh)) {
            if (current.epoch < epoch) {
                current = fresh;
            }
            return fresh;
        }
        Bucket winner = buckets.get(index);
        return winner != null && winner.epoch >= epoch ? winner : rotate(index, winner, epoch);
    }

    private WindowCounts sum(long epoch) {
        long oldestStart = Long.MAX_VALUE;
        long oldestEpoch = Long.MAX_VALUE;
        int failures = 0;
        int slow = 0;
        for (int i = 0; i < seconds; i++) {
            Bucket bucket = buckets.get(i);
            if (bucket != null && bucket.epoch > epoch - seconds && bucket.epoch <= epoch) {
                if (bucket.epoch < oldestEpoch) {
                    oldestEpoch = bucket.epoch;
                    oldestStart = bucket.startCalls;
                }
                failures += bucket.failures;
                slow += bucket.slow;
            }
        }
        if (oldestEpoch == Long.MAX_VALUE) {
            return WindowCounts.EMPTY;
        }
        int inWindow = (int) Math.min(Math.max(0, calls.sum() - oldestStart), Integer.MAX_VALUE);
        return new WindowCounts(inWindow, Math.min(failures, inWindow), Math.min(slow, inWindow));
    }

    private long epoch(long nowNanos) {
        return Math.floorDiv(nowNanos - originNanos, SECOND);
    }
}
