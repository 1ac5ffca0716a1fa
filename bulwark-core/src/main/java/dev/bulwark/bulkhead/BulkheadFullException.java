package dev.bulwark.bulkhead;

import dev.bulwark.RejectedException;

/**
 * Thrown when a bulkhead or adaptive limiter refuses a call:
 * {@code bulkhead 'db' is full: 10 of 10 calls in flight}. No stack trace by default.
 */
public final class BulkheadFullException extends RejectedException {
    private static final long serialVersionUID = 1L;

    private final String kind;
    private final int inFlight;
    private final int limit;

    BulkheadFullException(String kind, String name, int inFlight, int limit) {
        super(name, null);
        this.kind = kind;
        this.inFlight = inFlight;
        this.limit = limit;
    }

    /** The limit in force when the call was refused. */
    public int limit() {
        return limit;
    }

    @Override
    public String getMessage() {
        return kind + " '" + component() + "' is full: " + inFlight + " of " + limit + " calls in flight";
    }
}
