package dev.bulwark.circuit;

/**
 * Everything a circuit breaker reports. A sealed interface of records, so a listener can {@code switch}
 * over every case. Outcome events are built only when someone listens.
 */
public sealed interface CircuitEvent {

    /** The breaker's name. */
    String name();

    /**
     * The circuit changed state, with structured fields for logs.
     *
     * @param consecutiveFailures the {@code fail_count}: for a move to OPEN, the failures that opened the circuit as
     *        counted at that moment (the run for a consecutive-failure opening, the window's failures for a rate or
     *        count opening, the run including the failed probe for a probe failure, 0 for a half-open timeout);
     *        otherwise the run of consecutive failures when it happened
     * @param wallMillis when it happened, wall-clock milliseconds from the breaker's clock
     * @param successRate share of successful calls in the window, in [0, 1] (1 when empty)
     * @param latencyMillis mean recent latency, NaN when latencies are not tracked
     */
    record StateTransition(String name, CircuitState from, CircuitState to, TransitionReason reason,
                           int consecutiveFailures, double successRate, double latencyMillis,
                           long wallMillis) implements CircuitEvent {
        /** The structured log line: {@code endpoint=... state_transition="CLOSED -> OPEN" reason=...}. */
        public String toLogLine() {
            return String.format(java.util.Locale.ROOT,
                    "endpoint=%s state_transition=\"%s -> %s\" reason=\"%s\" fail_count=%d success_rate=\"%.2f%%\"%s",
                    name, from, to, reason.label(), consecutiveFailures, successRate * 100,
                    Double.isNaN(latencyMillis) ? "" : String.format(java.util.Locale.ROOT, " latency_ms=%.1f", latencyMillis));
        }
    }

    /** A call was refused in {@code state}. */
    record CallRejected(String name, CircuitState state) implements CircuitEvent {
    }

    /** A call succeeded; {@code durationNanos} is negative when not measured. */
    record SuccessRecorded(String name, long durationNanos, boolean slow) implements CircuitEvent {
    }

    /** A call failed with {@code error} (null when a result was judged a failure). */
    record FailureRecorded(String name, long durationNanos, boolean slow,
                           @org.jspecify.annotations.Nullable Throwable error) implements CircuitEvent {
    }

    /** A call ended with an ignored exception: neither success nor failure. */
    record ErrorIgnored(String name, Throwable error) implements CircuitEvent {
    }

    /** The health status changed. */
    record HealthChanged(String name, HealthStatus from, HealthStatus to, double score) implements CircuitEvent {
    }
}
