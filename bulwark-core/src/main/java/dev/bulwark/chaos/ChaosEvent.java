package dev.bulwark.chaos;

/** What a chaos policy reports: one event per injected fault. */
public sealed interface ChaosEvent {

    /** The policy's name. */
    String name();

    /** Latency was added to a call. */
    record LatencyInjected(String name, long nanos) implements ChaosEvent {
    }

    /** An exception was thrown instead of the call. */
    record ExceptionInjected(String name, Exception exception) implements ChaosEvent {
    }

    /** A result was returned instead of the call. */
    record ResultSubstituted(String name) implements ChaosEvent {
    }
}
