package dev.bulwark.circuit;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A snapshot of a circuit breaker's counts and rates.
 *
 * <p>Cumulative counts cover the breaker's whole life. Window figures cover the current window (while
 * OPEN or HALF_OPEN: the window that opened the circuit). Every rate is a percentage in [0, 100], the unit of
 * the config's rate thresholds; a rate the breaker does not judge yet (fewer than {@code minimumNumberOfCalls}
 * calls in the window) is empty rather than a sentinel.
 *
 * @param state the current state
 * @param totalCalls calls whose outcome was recorded (successes plus failures)
 * @param successfulCalls calls that counted as successes
 * @param failedCalls calls that counted as failures
 * @param slowCalls calls at least {@code slowCallDuration} long
 * @param rejectedCalls calls refused
 * @param timedOutCalls failures that were timeouts
 * @param ignoredCalls calls that ended with an ignored exception
 * @param windowCalls calls in the window
 * @param windowFailures failures in the window
 * @param failureRatePercent failure percentage of the window, empty until the window is judged
 * @param slowCallRatePercent slow-call percentage of the window, empty until the window is judged or when slow-call
 *        detection is off
 * @param successRatePercent success percentage of the window (100 when empty)
 * @param consecutiveFailures current run of failures (while OPEN: the failures that opened the circuit)
 * @param failureThreshold the consecutive-failure threshold in force now (scaled when adaptive; 0 when off)
 * @param timeInState how long the circuit has been in its state
 * @param lastSuccessWallMillis when the last success was recorded, if known (calls are timed only with
 *        latency tracking, slow-call detection or a time-based window)
 * @param lastFailureWallMillis when the last failure was recorded, if any
 * @param recoveryTimeout the open period the next opening would use
 * @param history recent transitions, oldest first, bounded by size and retention
 */
public record CircuitStats(
        CircuitState state,
        long totalCalls,
        long successfulCalls,
        long failedCalls,
        long slowCalls,
        long rejectedCalls,
        long timedOutCalls,
        long ignoredCalls,
        int windowCalls,
        int windowFailures,
        OptionalDouble failureRatePercent,
        OptionalDouble slowCallRatePercent,
        double successRatePercent,
        int consecutiveFailures,
        int failureThreshold,
        Duration timeInState,
        OptionalLong lastSuccessWallMillis,
        OptionalLong lastFailureWallMillis,
        Duration recoveryTimeout,
        List<Transition> history) {
}
