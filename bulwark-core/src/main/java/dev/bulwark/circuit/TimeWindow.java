package dev.bulwark.circuit;

import dev.bulwark.internal.BucketRing;
import java.util.concurrent.atomic.LongAdder;

/**
 * The calls of the last {@code seconds} seconds, in the one-second buckets of a {@link BucketRing}.
 *
 * <p>A success bumps only the breaker's striped call counter: each bucket remembers the counter's value
 * when its second began, so the calls in the window are the counter now minus the start of the oldest
 * bucket still inside it. Failures and slow calls are counted per bucket under the window's lock.
 */
final class TimeWindow extends OutcomeWindow {
    private static final long SECOND = 1_000_000_000L;

    private static final class Bucket extends BucketRing.Bucket {
        final long startCalls;
        int failures; // guarded by the window
        int slow; // guarded by the window

        Bucket(long epoch, long startNanos, long startCalls) {
            super(epoch, startNanos);
            this.startCalls = startCalls;
        }
    }

    private final int seconds;
    private final LongAdder calls;
    private final BucketRing<Bucket> ring;
    private volatile long lastEventEpoch = Long.MIN_VALUE / 2;

    TimeWindow(int seconds, LongAdder calls, long originNanos) {
        this.seconds = seconds;
        this.calls = calls;
        this.ring = new BucketRing<>(seconds, SECOND, originNanos,
                (epoch, startNanos) -> new Bucket(epoch, startNanos, calls.sum()));
    }

    @Override
    boolean recordSuccess(long nowNanos) {
        Bucket latest = ring.latest();
        if (ring.covers(latest, nowNanos)) {
            calls.increment();
            return false;
        }
        return recordSuccessInNewSecond(latest, nowNanos);
    }

    private boolean recordSuccessInNewSecond(Bucket before, long nowNanos) {
        Bucket bucket = ring.bucketAt(nowNanos);
        calls.increment();
        // a failure may just have aged out, or the minimum been reached: re-judge at most once per second
        return bucket.epoch() > before.epoch() && lastEventEpoch > bucket.epoch() - seconds - 1;
    }

    @Override
    synchronized WindowCounts recordEvent(boolean failure, boolean slowCall, long nowNanos) {
        Bucket bucket = ring.bucketAt(nowNanos);
        calls.increment();
        bucket.failures += failure ? 1 : 0;
        bucket.slow += slowCall ? 1 : 0;
        lastEventEpoch = Math.max(lastEventEpoch, bucket.epoch());
        return sum(ring.epoch(nowNanos));
    }

    @Override
    synchronized WindowCounts refresh(long nowNanos) {
        return sum(ring.epoch(nowNanos));
    }

    @Override
    boolean hasEvents(long nowNanos) {
        return lastEventEpoch > ring.epoch(nowNanos) - seconds;
    }

    private WindowCounts sum(long epoch) {
        long oldestStart = Long.MAX_VALUE;
        long oldestEpoch = Long.MAX_VALUE;
        int failures = 0;
        int slow = 0;
        for (int i = 0; i < seconds; i++) {
            Bucket bucket = ring.inWindow(i, epoch);
            if (bucket != null) {
                if (bucket.epoch() < oldestEpoch) {
                    oldestEpoch = bucket.epoch();
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
}
