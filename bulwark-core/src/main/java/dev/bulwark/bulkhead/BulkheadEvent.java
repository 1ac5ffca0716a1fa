package dev.bulwark.bulkhead;

/** What a bulkhead or adaptive limiter reports. */
public sealed interface BulkheadEvent {

    /** The component's name. */
    String name();

    /** A call was refused with {@code inFlight} calls running under {@code limit}. */
    record Rejected(String name, int inFlight, int limit) implements BulkheadEvent {
    }

    /** An adaptive limiter moved its limit. */
    record LimitChanged(String name, int from, int to) implements BulkheadEvent {
    }
}
