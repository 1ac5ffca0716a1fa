package dev.bulwark.circuit;

import static dev.bulwark.internal.Checks.atLeast;
import static dev.bulwark.internal.Checks.between;
import static dev.bulwark.internal.Checks.notNegative;
import static dev.bulwark.internal.Checks.positive;

import dev.bulwark.ConfigException;
import java.time.Duration;
import java.util.Objects;

/**
 * The checks of {@link CircuitBreakerConfig}, grouped by what the fields govern: the window, when it opens, how it
 * recovers, the half-open probes, health and history. Each names the field, the value and the allowed range.
 */
final class BreakerConfigChecks {
    private BreakerConfigChecks() {
    }

    static void window(String who, CircuitBreakerConfig.WindowType windowType, int windowSize, int minimumNumberOfCalls) {
        Objects.requireNonNull(windowType, "windowType");
        between(who, "windowSize", windowSize, 1,
                windowType == CircuitBreakerConfig.WindowType.TIME_BASED ? 3_600 : CircuitBreakerConfig.MAX_WINDOW_SIZE);
        atLeast(who, "minimumNumberOfCalls", minimumNumberOfCalls, 1);
        if (windowType == CircuitBreakerConfig.WindowType.COUNT_BASED && minimumNumberOfCalls > windowSize) {
            throw new ConfigException(who, "minimumNumberOfCalls", minimumNumberOfCalls,
                    "<= windowSize (" + windowSize + ") for a count-based window");
        }
    }

    static void thresholds(String who, CircuitBreakerConfig.WindowType windowType, int windowSize,
                           double failureRateThreshold, int consecutiveFailureThreshold, int failureCountThreshold,
                           int failureCountMinimumCalls, Duration slowCallDuration, double slowCallRateThreshold) {
        between(who, "failureRateThreshold", failureRateThreshold, 0.0, 100.0);
        atLeast(who, "consecutiveFailureThreshold", consecutiveFailureThreshold, 0);
        between(who, "failureCountThreshold", failureCountThreshold, 0, CircuitBreakerConfig.MAX_WINDOW_SIZE);
        if (failureCountThreshold > 0) {
            between(who, "failureCountMinimumCalls", failureCountMinimumCalls, failureCountThreshold,
                    windowType == CircuitBreakerConfig.WindowType.COUNT_BASED ? windowSize : Integer.MAX_VALUE);
        }
        notNegative(who, "slowCallDuration", slowCallDuration);
        between(who, "slowCallRateThreshold", slowCallRateThreshold, 0.0, 100.0);
    }

    static void recovery(String who, Duration recoveryTimeout, Duration maxRecoveryTimeout, double backoffMultiplier) {
        notNegative(who, "recoveryTimeout", recoveryTimeout);
        positive(who, "maxRecoveryTimeout", maxRecoveryTimeout);
        if (maxRecoveryTimeout.compareTo(recoveryTimeout) < 0) {
            throw new ConfigException(who, "maxRecoveryTimeout", maxRecoveryTimeout,
                    ">= recoveryTimeout (" + recoveryTimeout + ")");
        }
        between(who, "backoffMultiplier", backoffMultiplier, 1.0, 100.0);
    }

    static void halfOpen(String who, int successThreshold, int halfOpenMaxProbes, Duration maxHalfOpenDuration) {
        atLeast(who, "successThreshold", successThreshold, 1);
        atLeast(who, "halfOpenMaxProbes", halfOpenMaxProbes, successThreshold);
        notNegative(who, "maxHalfOpenDuration", maxHalfOpenDuration);
    }

    static void health(String who, double ewmaAlpha, double adaptiveSensitivity, int latencySamples,
                       double minHealthScore, double healthRecoveryScore) {
        between(who, "ewmaAlpha", ewmaAlpha, 0.01, 1.0);
        between(who, "adaptiveSensitivity", adaptiveSensitivity, 0.5, 5.0);
        between(who, "latencySamples", latencySamples, 1, 10_000);
        between(who, "minHealthScore", minHealthScore, 0.0, 1.0);
        between(who, "healthRecoveryScore", healthRecoveryScore, minHealthScore, 1.0);
    }

    static void history(String who, int historySize, Duration retentionPeriod, Duration cleanupInterval) {
        between(who, "historySize", historySize, 0, 10_000);
        positive(who, "retentionPeriod", retentionPeriod);
        positive(who, "cleanupInterval", cleanupInterval);
    }

    /** The period of {@code failureThreshold(failures, calls, period)}: whole seconds from 1 s to 1 h. */
    static void thresholdPeriod(String who, Duration period) {
        Objects.requireNonNull(period, "period");
        if (period.getNano() != 0 || period.getSeconds() < 1 || period.getSeconds() > 3_600) {
            throw new ConfigException(who, "failureThresholdPeriod", period, "whole seconds in [1 s, 3600 s]");
        }
    }
}
