package dev.bulwark.circuit;

import static dev.bulwark.internal.Checks.atLeast;
import static dev.bulwark.internal.Checks.between;
import static dev.bulwark.internal.Checks.notNegative;
import static dev.bulwark.internal.Checks.positive;

import dev.bulwark.ConfigException;
import java.time.Duration;
import java.util.Objects;

/** The checks of {@link CircuitBreakerConfig} that tie several fields together: the window and when it opens. */
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

    static void recovery(String who, Duration recoveryTimeout, Duration maxRecoveryTimeout) {
        notNegative(who, "recoveryTimeout", recoveryTimeout);
        positive(who, "maxRecoveryTimeout", maxRecoveryTimeout);
        if (maxRecoveryTimeout.compareTo(recoveryTimeout) < 0) {
            throw new ConfigException(who, "maxRecoveryTimeout", maxRecoveryTimeout,
                    ">= recoveryTimeout (" + recoveryTimeout + ")");
        }
    }
}
