package dev.bulwark.fanout;

/** What a fan-out reports to its listeners: one record per kind of event, so a {@code switch} covers them all. */
public sealed interface FanOutEvent {

    /** The fan-out's name. */
    String name();

    /** A request finished: how many adapters succeeded out of how many, and how long it took. */
    record RequestCompleted(String name, FanOut.Strategy strategy, int succeeded, int adapters, long durationNanos)
            implements FanOutEvent {
    }

    /** An adapter was not called because its circuit was open. */
    record AdapterRejected(String name, String adapter) implements FanOutEvent {
    }

    /** The fan-out shut down; {@code cancelled} in-flight adapter calls had to be cancelled. */
    record ShutDown(String name, int cancelled) implements FanOutEvent {
    }
}
