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

    /** Milliseconds since the Unix epoch, for reporting; never use it to measure a duration. */
    long wallMillis();

    /** The JVM's clocks. This is the only place in Bulwark that reads them. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
