package dev.bulwark.mode;

import dev.bulwark.internal.BucketRing;
import java.util.concurrent.atomic.LongAdder;

/**
 * Calls, errors and latencies of the last {@code seconds} seconds in the one-second buckets of a
 * {@link BucketRing}, each of striped counters: recording takes no lock. A bucket whose second has left
 * the window no longer counts, so old metrics never skew the totals of a long-running process.
 */
final class SlidingCounts {
    private static final long SECOND = 1_000_000_000L;

    private static final class Bucket extends BucketRing.Bucket {
        final LongAdder calls = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder latencies = new LongAdder();
        final LongAdder latencyMicros = new LongAdder();

        Bucket(long epoch, long startNanos) {
            super(epoch, startNanos);
        }
    }

    /** Sums over the window. */
    record Totals(long calls, long errors, long latencies, long latencyMicros) {
        /** Error percentage in [0, 100], 0 when empty. */
        double errorRatePercent() {
            return calls == 0 ? 0 : errors * 100.0 / calls;
        }

        double meanLatencyMillis() {
            return latencies == 0 ? 0 : latencyMicros / 1000.0 / latencies;
        }
    }

    private final BucketRing<Bucket> ring;

    SlidingCounts(int seconds, long originNanos) {
        this.ring = new BucketRing<>(seconds, SECOND, originNanos, Bucket::new);
    }

    /** Records one outcome; {@code latencyNanos} below zero means no latency was measured. */
    void add(long nowNanos, boolean call, boolean error, long latencyNanos) {
        Bucket bucket = ring.bucketAt(nowNanos);
        if (call) {
            bucket.calls.increment();
        }
        if (error) {
            bucket.errors.increment();
        }
        if (latencyNanos >= 0) {
            bucket.latencies.increment();
            bucket.latencyMicros.add(latencyNanos / 1_000);
        }
    }

    Totals totals(long nowNanos) {
        long epoch = ring.epoch(nowNanos);
        long calls = 0;
        long errors = 0;
        long latencies = 0;
        long micros = 0;
        for (int i = 0; i < ring.length(); i++) {
            Bucket bucket = ring.inWindow(i, epoch);
            if (bucket != null) {
                calls += bucket.calls.sum();
                errors += bucket.errors.sum();
                latencies += bucket.latencies.sum();
                micros += bucket.latencyMicros.sum();
            }
        }
        return new Totals(calls, errors, latencies, micros);
    }
}
