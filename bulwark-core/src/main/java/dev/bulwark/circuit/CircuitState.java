package dev.bulwark.circuit;

/** The states of a circuit breaker. {@link #code()} is the number exported as a metric. */
public enum CircuitState {
    /** Calls pass and their outcomes are judged. */
    CLOSED(0),
    /** Calls are rejected until the open period ends. */
    OPEN(1),
    /** A bounded number of probe calls pass; their outcomes decide between CLOSED and OPEN. */
    HALF_OPEN(2),
    /** Opened by an operator: calls are rejected until {@link CircuitBreaker#reset()}. */
    FORCED_OPEN(3),
    /**
     * Switched off by an operator: every call passes, nothing is counted or judged until
     * {@link CircuitBreaker#reset()}.
     */
    DISABLED(4),
    /**
     * Watching only, set by an operator: every call passes and its outcome is counted (stats, window, rates,
     * health, events) as when closed, but the state never changes until {@link CircuitBreaker#reset()}.
     */
    METRICS_ONLY(5);

    private final int code;

    CircuitState(int code) {
        this.code = code;
    }

    /** A stable number for this state: 0 closed, 1 open, 2 half-open, 3 forced open, 4 disabled, 5 metrics only. */
    public int code() {
        return code;
    }

    /** True for the states in which calls are rejected. */
    public boolean rejectsCalls() {
        return this == OPEN || this == FORCED_OPEN;
    }
}
