package dev.bulwark.circuit;

import dev.bulwark.RejectedException;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link CircuitBreakerConfig.Builder} holds so far: every setting with its default, started from the defaults
 * or from a config, and assembled into a config (where the defaults that follow other settings are derived). Not
 * thread-safe.
 */
final class BreakerSettings {
    /** The default result predicate: no result counts as a failure (lets the fast path skip the test). */
    static final Predicate<@Nullable Object> NO_RESULT_IS_A_FAILURE = result -> false;

    String name;
    CircuitBreakerConfig.WindowType windowType = CircuitBreakerConfig.WindowType.COUNT_BASED;
    /** Null until given: 100 calls for a count window, 60 seconds for a time window. */
    @Nullable Integer windowSize;
    int minimumNumberOfCalls = 10;
    double failureRateThreshold = 50;
    int consecutiveFailureThreshold = 5;
    int failureCountThreshold;
    /** Null until given: the failure count itself. */
    @Nullable Integer failureCountMinimumCalls;
    Duration slowCallDuration = Duration.ZERO;
    double slowCallRateThreshold = 100;
    Duration recoveryTimeout = Duration.ofSeconds(60);
    Duration maxRecoveryTimeout = Duration.ofSeconds(300);
    boolean exponentialBackoff = true;
    double backoffMultiplier = 2.0;
    int successThreshold = 3;
    @Nullable Integer halfOpenMaxProbes;
    Duration maxHalfOpenDuration = Duration.ofSeconds(60);
    boolean adaptiveThreshold;
    double ewmaAlpha = 0.3;
    double adaptiveSensitivity = 2.0;
    boolean trackLatency;
    int latencySamples = 50;
    double minHealthScore = 0.3;
    double healthRecoveryScore = 0.7;
    int historySize = 50;
    Duration retentionPeriod = Duration.ofHours(24);
    Duration cleanupInterval = Duration.ofHours(1);
    Predicate<Throwable> recordFailure = failure -> true;
    Predicate<Throwable> ignoreException = failure -> failure instanceof RejectedException;
    Predicate<@Nullable Object> recordResult = NO_RESULT_IS_A_FAILURE;
    Clock clock = Clock.system();
    @Nullable Scheduler scheduler;

    BreakerSettings(String name) {
        this.name = name;
    }

    BreakerSettings(CircuitBreakerConfig c) {
        name = c.name();
        windowType = c.windowType();
        windowSize = c.windowSize();
        minimumNumberOfCalls = c.minimumNumberOfCalls();
        failureRateThreshold = c.failureRateThreshold();
        consecutiveFailureThreshold = c.consecutiveFailureThreshold();
        failureCountThreshold = c.failureCountThreshold();
        // a value equal to its derived default stays derived, so overriding what it follows moves it too
        failureCountMinimumCalls = c.failureCountMinimumCalls() == c.failureCountThreshold() ? null
                : c.failureCountMinimumCalls();
        slowCallDuration = c.slowCallDuration();
        slowCallRateThreshold = c.slowCallRateThreshold();
        recoveryTimeout = c.recoveryTimeout();
        maxRecoveryTimeout = c.maxRecoveryTimeout();
        exponentialBackoff = c.exponentialBackoff();
        backoffMultiplier = c.backoffMultiplier();
        successThreshold = c.successThreshold();
        halfOpenMaxProbes = c.halfOpenMaxProbes() == c.successThreshold() ? null : c.halfOpenMaxProbes();
        maxHalfOpenDuration = c.maxHalfOpenDuration();
        adaptiveThreshold = c.adaptiveThreshold();
        ewmaAlpha = c.ewmaAlpha();
        adaptiveSensitivity = c.adaptiveSensitivity();
        trackLatency = c.trackLatency();
        latencySamples = c.latencySamples();
        minHealthScore = c.minHealthScore();
        healthRecoveryScore = c.healthRecoveryScore();
        historySize = c.historySize();
        retentionPeriod = c.retentionPeriod();
        cleanupInterval = c.cleanupInterval();
        recordFailure = c.recordFailure();
        ignoreException = c.ignoreException();
        recordResult = c.recordResult();
        clock = c.clock();
        scheduler = c.scheduler();
    }

    CircuitBreakerConfig toConfig() {
        int size = windowSize != null ? windowSize : windowType == CircuitBreakerConfig.WindowType.TIME_BASED ? 60 : 100;
        return new CircuitBreakerConfig(name, windowType, size, minimumNumberOfCalls, failureRateThreshold,
                consecutiveFailureThreshold, failureCountThreshold,
                failureCountMinimumCalls != null ? failureCountMinimumCalls : failureCountThreshold,
                slowCallDuration, slowCallRateThreshold, recoveryTimeout, maxRecoveryTimeout, exponentialBackoff,
                backoffMultiplier, successThreshold, halfOpenMaxProbes != null ? halfOpenMaxProbes : successThreshold,
                maxHalfOpenDuration, adaptiveThreshold, ewmaAlpha, adaptiveSensitivity, trackLatency, latencySamples,
                minHealthScore, healthRecoveryScore, historySize, retentionPeriod, cleanupInterval, recordFailure,
                ignoreException, recordResult, clock, scheduler);
    }
}
