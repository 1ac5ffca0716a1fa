package dev.bulwark.circuit;

import static dev.bulwark.internal.Checks.aboveAndAtMost;
import static dev.bulwark.internal.Checks.atLeast;
import static dev.bulwark.internal.Checks.between;
import static dev.bulwark.internal.Checks.notNegative;
import static dev.bulwark.internal.Checks.positive;

import dev.bulwark.ConfigException;
import dev.bulwark.internal.Checks;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The immutable settings of one circuit breaker. Built with {@link CircuitBreaker#builder(String)};
 * every field is validated here, so an invalid value fails at build time with the field, the value and
 * the allowed range. Defaults come from the seeds: {@code failure_threshold} 5, {@code recovery_timeout}
 * 60 s growing exponentially to {@code max_recovery_timeout} 300 s, {@code success_threshold} 3,
 * {@code ewma_alpha} 0.3, {@code adaptive_sensitivity} 2.0, {@code min_health_score} 0.3, recovery of
 * health above 0.7, {@code retention_period} 24 h and {@code cleanup_interval} 1 h.
 *
 * @param name the breaker's name, unique among breakers in a registry
 * @param windowType count- or time-based window
 * @param windowSize calls (count-based) or seconds (time-based) in the window
 * @param minimumNumberOfCalls calls the window must hold before rates are judged
 * @param failureRateThreshold percentage of failed calls in the window that opens the circuit, in (0, 100]
 * @param consecutiveFailureThreshold consecutive failures that open the circuit; 0 turns the check off
 * @param failureCountThreshold failures in the window that open the circuit once it holds at least
 *        {@code failureCountMinimumCalls} calls (with a time window: N failures among at least M calls within the
 *        period); 0 turns the check off (the default)
 * @param failureCountMinimumCalls calls the window must hold before {@code failureCountThreshold} is judged, at least
 *        {@code failureCountThreshold} (and at most {@code windowSize} for a count-based window)
 * @param slowCallDuration calls at least this long are slow; zero turns slow-call detection off
 * @param slowCallRateThreshold percentage of slow calls in the window that opens the circuit, in (0, 100]
 * @param recoveryTimeout the first open period
 * @param maxRecoveryTimeout the longest open period however often the circuit re-opens
 * @param exponentialBackoff whether each consecutive re-open multiplies the open period
 * @param backoffMultiplier the factor applied per consecutive re-open
 * @param successThreshold successful probes that close a half-open circuit
 * @param halfOpenMaxProbes probe calls let through per half-open period (at least {@code successThreshold})
 * @param maxHalfOpenDuration how long a half-open circuit waits for a verdict before re-opening, whether or not its
 *        probe slots are taken (on time with a scheduler, else at the next state query or call); zero waits forever
 * @param adaptiveThreshold whether the consecutive-failure threshold follows the EWMA error level
 * @param ewmaAlpha smoothing factor of the error-rate EWMA, in [0.01, 1.0]
 * @param adaptiveSensitivity standard deviations added to the EWMA, in [0.5, 5.0]
 * @param trackLatency whether call latencies are kept for the health score
 * @param latencySamples how many recent latencies the health score reads
 * @param minHealthScore below this score the circuit reports {@link HealthStatus#DEGRADED}
 * @param healthRecoveryScore above this score a degraded circuit reports HEALTHY again
 * @param historySize how many transitions the history keeps
 * @param retentionPeriod how long a transition stays in the history
 * @param cleanupInterval how often expired history is dropped
 * @param recordFailure which exceptions count as failures (others count as successes)
 * @param ignoreException which exceptions count as neither success nor failure; checked first
 * @param recordResult which results count as failures
 * @param clock the time source
 * @param scheduler if set, moves an open circuit to half-open, and a silent half-open one back to open, on time
 *        even when no call arrives
 */
public record CircuitBreakerConfig(
        String name,
        WindowType windowType,
        int windowSize,
        int minimumNumberOfCalls,
        double failureRateThreshold,
        int consecutiveFailureThreshold,
        int failureCountThreshold,
        int failureCountMinimumCalls,
        Duration slowCallDuration,
        double slowCallRateThreshold,
        Duration recoveryTimeout,
        Duration maxRecoveryTimeout,
        boolean exponentialBackoff,
        double backoffMultiplier,
        int successThreshold,
        int halfOpenMaxProbes,
        Duration maxHalfOpenDuration,
        boolean adaptiveThreshold,
        double ewmaAlpha,
        double adaptiveSensitivity,
        boolean trackLatency,
        int latencySamples,
        double minHealthScore,
        double healthRecoveryScore,
        int historySize,
        Duration retentionPeriod,
        Duration cleanupInterval,
        Predicate<Throwable> recordFailure,
        Predicate<Throwable> ignoreException,
        Predicate<@Nullable Object> recordResult,
        Clock clock,
        @Nullable Scheduler scheduler) {

    /** The default result predicate: no result counts as a failure (lets the fast path skip the test). */
    static final Predicate<@Nullable Object> NO_RESULT_IS_A_FAILURE = result -> false;

    /** Largest window: bounds the memory a breaker may hold. */
    public static final int MAX_WINDOW_SIZE = 100_000;

    /** Validates every field; see the class description for the ranges. */
    public CircuitBreakerConfig {
        String who = "circuit '" + Checks.name("circuit", name) + "'";
        Objects.requireNonNull(windowType, "windowType");
        between(who, "windowSize", windowSize, 1, windowType == WindowType.TIME_BASED ? 3_600 : MAX_WINDOW_SIZE);
        atLeast(who, "minimumNumberOfCalls", minimumNumberOfCalls, 1);
        if (windowType == WindowType.COUNT_BASED && minimumNumberOfCalls > windowSize) {
            throw new ConfigException(who, "minimumNumberOfCalls", minimumNumberOfCalls,
                    "<= windowSize (" + windowSize + ") for a count-based window");
        }
        aboveAndAtMost(who, "failureRateThreshold", failureRateThreshold, 0, 100);
        atLeast(who, "consecutiveFailureThreshold", consecutiveFailureThreshold, 0);
        between(who, "failureCountThreshold", failureCountThreshold, 0, MAX_WINDOW_SIZE);
        if (failureCountThreshold > 0) {
            between(who, "failureCountMinimumCalls", failureCountMinimumCalls, failureCountThreshold,
                    windowType == WindowType.COUNT_BASED ? windowSize : Integer.MAX_VALUE);
        }
        notNegative(who, "slowCallDuration", slowCallDuration);
        aboveAndAtMost(who, "slowCallRateThreshold", slowCallRateThreshold, 0, 100);
        positive(who, "recoveryTimeout", recoveryTimeout);
        positive(who, "maxRecoveryTimeout", maxRecoveryTimeout);
        if (maxRecoveryTimeout.compareTo(recoveryTimeout) < 0) {
            throw new ConfigException(who, "maxRecoveryTimeout", maxRecoveryTimeout,
                    ">= recoveryTimeout (" + recoveryTimeout + ")");
        }
        between(who, "backoffMultiplier", backoffMultiplier, 1.0, 100.0);
        atLeast(who, "successThreshold", successThreshold, 1);
        atLeast(who, "halfOpenMaxProbes", halfOpenMaxProbes, successThreshold);
        notNegative(who, "maxHalfOpenDuration", maxHalfOpenDuration);
        between(who, "ewmaAlpha", ewmaAlpha, 0.01, 1.0);
        between(who, "adaptiveSensitivity", adaptiveSensitivity, 0.5, 5.0);
        between(who, "latencySamples", latencySamples, 1, 10_000);
        between(who, "minHealthScore", minHealthScore, 0.0, 1.0);
        between(who, "healthRecoveryScore", healthRecoveryScore, minHealthScore, 1.0);
        between(who, "historySize", historySize, 0, 10_000);
        positive(who, "retentionPeriod", retentionPeriod);
        positive(who, "cleanupInterval", cleanupInterval);
        Objects.requireNonNull(recordFailure, "recordFailure");
        Objects.requireNonNull(ignoreException, "ignoreException");
        Objects.requireNonNull(recordResult, "recordResult");
        Objects.requireNonNull(clock, "clock");
    }

    /** A builder with every default, for a breaker called {@code name}. */
    public static CircuitBreakerBuilder builder(String name) {
        return new CircuitBreakerBuilder(name);
    }

    /** A builder holding this config's values, to derive a changed copy. */
    public CircuitBreakerBuilder toBuilder() {
        return new CircuitBreakerBuilder(this);
    }

    /** Calls the window must hold before every threshold that needs a minimum can be judged. */
    int judgingMinimumCalls() {
        return failureCountThreshold > 0 ? Math.max(minimumNumberOfCalls, failureCountMinimumCalls) : minimumNumberOfCalls;
    }

    /** True when calls must be timed (slow-call detection or latency tracking). */
    boolean timesCalls() {
        return trackLatency || !slowCallDuration.isZero();
    }
}
