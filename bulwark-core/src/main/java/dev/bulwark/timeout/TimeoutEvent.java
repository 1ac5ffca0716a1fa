package dev.bulwark.timeout;

/** What a timeout reports. */
public sealed interface TimeoutEvent {

    /** The timeout's name. */
    String name();

    /** A call ran out of time after {@code allowedNanos} and was cancelled. */
    record TimedOut(String name, long allowedNanos) implements TimeoutEvent {
    }
}
