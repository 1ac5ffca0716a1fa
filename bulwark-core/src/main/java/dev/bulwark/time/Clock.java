package dev.bulwark.time;

/**
 * A source of time: a monotonic reading for measuring durations and a wall-clock reading for
 * reporting when something happened.
 *
 * <p>Durations are always measured with {@link #nanoTime()}, never with wall time, which can jump.
 * Like {@link System#nanoTime()}, the monotonic reading has an arbitrary origin and may be negative
 * or wrap: compare two readings only by subtracting them.
 *
 * <p>Implementations must be thread-safe.
 */
public interface Clock {

    /** A monotonic reading in nanoseconds, for measuring elapsed time. */
    long nanoTime();

    /**
     * A monotonic reading in nanoseconds that may lag {@link #nanoTime()} by about a millisecond, for hot
     * paths that judge durations only at millisecond precision (slow-call detection, latency tracking,
     * one-second windows, rate limiting). Compare it only with other coarse readings of the same clock.
     *
     * <p>By default it is {@link #nanoTime()}, so {@link ManualClock} and custom clocks drive it exactly.
     * {@link #system()} answers with a value that one shared daemon thread ({@code bulwark-clock-ticker},
     * started on first use) refreshes about every millisecond while it is read, and which sleeps after
     * 100 ms without a read (the next read then takes an exact reading and wakes it): a read costs a
     * memory load instead of a clock read, and a duration measured with two coarse readings is within
     * about one tick of the truth (more if the machine starves the ticker thread of CPU).
     */
    default long coarseNanoTime() {
        return nanoTime();
    }

    /** Milliseconds since the Unix epoch, for reporting; never use it to measure a duration. */
    long wallMillis();

    /** The JVM's clocks. This is the only place in Bulwark that reads them. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
