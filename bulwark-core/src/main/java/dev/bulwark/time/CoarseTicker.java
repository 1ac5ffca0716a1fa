package dev.bulwark.time;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The value behind {@link Clock#system()}'s {@link Clock#coarseNanoTime()}: {@code System.nanoTime()} as of
 * the latest tick of one daemon thread. The field sits alone on its cache line (padding on both sides), so
 * the only writes readers see are the ticker's, once a tick.
 */
@SuppressForbidden("the coarse view of the JVM's monotonic clock")
@SuppressWarnings("unused")
final class CoarseTicker extends PaddedReading.Value {
    /** How often the ticker refreshes the reading. */
    static final long TICK_MICROS = 500;

    /** Created, and its thread started, on the first coarse read. */
    static final CoarseTicker INSTANCE = new CoarseTicker();

    // padding after the value
    private long p9;
    private long p10;
    private long p11;
    private long p12;
    private long p13;
    private long p14;
    private long p15;

    private CoarseTicker() {
        value = System.nanoTime();
        Thread ticker = new Thread(this::run, "bulwark-clock-ticker");
        ticker.setDaemon(true);
        ticker.start();
    }

    long now() {
        return value;
    }

    private void run() {
        long tickNanos = TimeUnit.MICROSECONDS.toNanos(TICK_MICROS);
        while (true) {
            LockSupport.parkNanos(this, tickNanos);
            value = System.nanoTime();
        }
    }
}
