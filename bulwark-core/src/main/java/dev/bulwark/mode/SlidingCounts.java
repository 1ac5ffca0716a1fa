package dev.bulwark.mode;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Calls, errors and latencies of the last {@code seconds} seconds in one-second buckets of striped
 * counters: recording takes no lock. A bucket whose second has left the window is dropped when read
 * and replaced when written, so old metrics never skew the totals of a long-running process (seed fix 2).
 */
final class SlidingCounts {
    private static final long SECOND = 1_000_000_000L;

    private static final class Bucket {
        final long epoch;
        final LongAdder calls = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder latencies = new LongAdder();
        final LongAdder latencyMicros = new LongAdder();

        Bucket(long epoch) {
            this.epoch = epoch;
        }
    }

    /** Sums over the window. */
    record Totals(long calls, long errors, long latencies, long latencyMicros) {
        double errorRate() {
            return calls == 0 ? 0 : errors / (double) calls;
        }

        double meanLatencyMillis() {
            return latencies == 0 ? 0 : latencyMicros / 1000.0 / latencies;
        }
    }

    private final int seconds;
    private final long originNanos;
    private final AtomicReferenceArray<Bucket> buckets;

    SlidingCounts(int seconds, long originNanos) {
        this.seconds = seconds;
        this.originNanos = originNanos;
        this.buckets = new AtomicReferenceArray<>(seconds);
    }

    /** Records one outcome; {@code latencyNanos} below zero means no latency was measured. */
    void add(long nowNanos, boolean call, boolean error, long latencyNanos) {
        Bucket bucket = bucket(nowNanos);
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
        long epoch = Math.floorDiv(nowNanos - originNanos, SECOND);
        long calls = 0;
        long errors = 0;
        long latencies = 0;
        long micros = 0;
        for (int i = 0; i < seconds; i++) {
            Bucket bucket = buckets.get(i);
            if (bucket == null) {
                continue;
            }
            if (bucket.epoch <= epoch - seconds) {
                buckets.compareAndSet(i, bucket, null); // trimmed: it left the window
                continue;
            }
            calls += bucket.calls.sum();
            errors += bucket.errors.sum();
            latencies += bucket.latencies.sum();
            micros += bucket.latencyMicros.sum();
        }
        return new Totals(calls, errors, latencies, micros);
    }

    private Bucket bucket(long nowNanos) {
        long epoch = Math.floorDiv(nowNanos - originNanos, SECOND);
        int index = (int) Math.floorMod(epoch, (long) seconds);
        while (true) {
            Bucket bucket = buckets.get(index);
            if (bucket != null && bucket.epoch >= epoch) {
                return bucket;
            }
            Bucket fresh = new Bucket(epoch);
            if (buckets.compareAndSet(index, bucket, fresh)) {
                return fresh;
            }
        }
    }
}
