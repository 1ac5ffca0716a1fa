package dev.bulwark.circuit;

/** How a circuit breaker's window of recent calls is bounded. */
public enum WindowType {
    /** The last {@code windowSize} calls. */
    COUNT_BASED,
    /** The calls of the last {@code windowSize} seconds, in one-second buckets. */
    TIME_BASED
}
