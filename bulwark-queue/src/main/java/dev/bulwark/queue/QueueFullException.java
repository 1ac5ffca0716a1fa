package dev.bulwark.queue;

import dev.bulwark.RejectedException;

/** Thrown when a bounded deferred queue has no room: {@code deferred queue 'llm' is full (1000 items)}. */
public final class QueueFullException extends RejectedException {
    private static final long serialVersionUID = 1L;

    private final int capacity;

    /** The exception for queue {@code name}, full at {@code capacity} items (other deferred queues throw it too). */
    public QueueFullException(String name, int capacity) {
        super(name, null);
        this.capacity = capacity;
    }

    @Override
    public String getMessage() {
        return "deferred queue '" + component() + "' is full (" + capacity + " items)";
    }
}
