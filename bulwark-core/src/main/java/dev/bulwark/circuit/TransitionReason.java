package dev.bulwark.circuit;

/** Why a circuit changed state. {@link #label()} is the snake-case form used in logs and metrics. */
public enum TransitionReason {
    /** Consecutive failures reached the (possibly adaptive) threshold. */
    CONSECUTIVE_FAILURES("failure_threshold_exceeded"),
    /** The window held the threshold's number of failures among at least its minimum of calls. */
    FAILURE_COUNT("failure_count_exceeded"),
    /** The window's failure rate reached the threshold. */
    FAILURE_RATE("failure_rate_exceeded"),
    /** The window's slow-call rate reached the threshold. */
    SLOW_CALL_RATE("slow_call_rate_exceeded"),
    /** The open period ended. */
    RECOVERY_TIMEOUT_ELAPSED("recovery_timeout_elapsed"),
    /** Enough probe calls succeeded. */
    PROBES_SUCCEEDED("success_threshold_reached"),
    /** A probe call failed or was slow. */
    PROBE_FAILED("probe_failed"),
    /** The half-open state lasted longer than allowed without a verdict. */
    HALF_OPEN_TIMEOUT("half_open_timeout"),
    /** {@link CircuitBreaker#trip()}. */
    MANUAL_TRIP("manual_trip"),
    /** {@link CircuitBreaker#reset()}. */
    MANUAL_RESET("manual_reset"),
    /** {@link CircuitBreaker#forceOpen()}. */
    FORCED_OPEN("forced_open"),
    /** {@link CircuitBreaker#disable()}. */
    DISABLED("disabled"),
    /** {@link CircuitBreaker#metricsOnly()}. */
    METRICS_ONLY("metrics_only");

    private final String label;

    TransitionReason(String label) {
        this.label = label;
    }

    /** The snake-case form, e.g. {@code failure_threshold_exceeded}. */
    public String label() {
        return label;
    }
}
