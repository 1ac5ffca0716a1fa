package dev.bulwark.circuit;

import dev.bulwark.RejectedException;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link CircuitBreakerConfig} or, with {@link #build()}, a {@link CircuitBreaker}.
 * Not thread-safe.
 */
public final class CircuitBreakerBuilder {
    private String name;
    private WindowType windowType = WindowType.COUNT_BASED;
    private int windowSize = 100;
    private int minimumNumberOfCalls = 10;
    private double failureRateThreshold = 50;
    private int consecutiveFailureThreshold = 5;
    private int failureCountThreshold;
    private int failureCountMinimumCalls;
    private @Nullable Duration failureThresholdPeriod;
    private Duration slowCallDuration = Duration.ZERO;
    private double slowCallRateThreshold = 100;
    private Duration recoveryTimeout = Duration.ofSeconds(60);
    private Duration maxRecoveryTimeout = Duration.ofSeconds(300);
    private boolean exponentialBackoff = true;
    private double backoffMultiplier = 2.0;
    private int successThreshold = 3;
    private @Nullable Integer halfOpenMaxProbes;
    private Duration maxHalfOpenDuration = Duration.ofSeconds(60);
    private boolean adaptiveThreshold;
    private double ewmaAlpha = 0.3;
    private double adaptiveSensitivity = 2.0;
    private boolean trackLatency;
    private int latencySamples = 50;
    private double minHealthScore = 0.3;
    private double healthRecoveryScore = 0.7;
    private int historySize = 50;
    private Duration retentionPeriod = Duration.ofHours(24);
    private Duration cleanupInterval = Duration.ofHours(1);
    private Predicate<Throwable> recordFailure = failure -> true;
    private Predicate<Throwable> ignoreException = failure -> failure instanceof RejectedException;
    private Predicate<@Nullable Object> recordResult = CircuitBreakerConfig.NO_RESULT_IS_A_FAILURE;
    private Clock clock = Clock.system();
    private @Nullable Scheduler scheduler;

    CircuitBreakerBuilder(String name) {
        this.name = name;
    }

    CircuitBreakerBuilder(CircuitBreakerConfig c) {
        name = c.name();
        windowType = c.windowType();
        windowSize = c.windowSize();
        minimumNumberOfCalls = c.minimumNumberOfCalls();
        failureRateThreshold = c.failureRateThreshold();
        consecutiveFailureThreshold = c.consecutiveFailureThreshold();
        failureCountThreshold = c.failureCountThreshold();
        failureCountMinimumCalls = c.failureCountMinimumCalls();
        slowCallDuration = c.slowCallDuration();
        slowCallRateThreshold = c.slowCallRateThreshold();
        recoveryTimeout = c.recoveryTimeout();
        maxRecoveryTimeout = c.maxRecoveryTimeout();
        exponentialBackoff = c.exponentialBackoff();
        backoffMultiplier = c.backoffMultiplier();
        successThreshold = c.successThreshold();
        halfOpenMaxProbes = c.halfOpenMaxProbes();
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

    /** Renames the breaker (for a derived config). */
    public CircuitBreakerBuilder name(String name) {
        this.name = name;
        return this;
    }

    /** A window of the last {@code calls} calls (default: count-based, 100). */
    public CircuitBreakerBuilder countWindow(int calls) {
        this.windowType = WindowType.COUNT_BASED;
        this.windowSize = calls;
        return this;
    }

    /** A window of the last {@code seconds} seconds, in one-second buckets. */
    public CircuitBreakerBuilder timeWindow(int seconds) {
        this.windowType = WindowType.TIME_BASED;
        this.windowSize = seconds;
        return this;
    }

    /** Calls the window must hold before rates are judged (default 10). */
    public CircuitBreakerBuilder minimumNumberOfCalls(int calls) {
        this.minimumNumberOfCalls = calls;
        return this;
    }

    /** Failure percentage in the window that opens the circuit, in (0, 100] (default 50). */
    public CircuitBreakerBuilder failureRateThreshold(double percent) {
        this.failureRateThreshold = percent;
        return this;
    }

    /** Consecutive failures that open the circuit (default 5, seed 1's {@code failure_threshold}); 0 turns it off. */
    public CircuitBreakerBuilder consecutiveFailureThreshold(int failures) {
        this.consecutiveFailureThreshold = failures;
        return this;
    }

    /**
     * Opens the circuit when the window holds at least {@code failures} failures among at least {@code calls}
     * calls, whatever the failure rate (default off; {@code failures} 0 turns it off again).
     */
    public CircuitBreakerBuilder failureCountThreshold(int failures, int calls) {
        this.failureCountThreshold = failures;
        this.failureCountMinimumCalls = calls;
        return this;
    }

    /**
     * Time-based thresholding: opens the circuit on {@code failures} failures among at least {@code calls} calls
     * within the last {@code period} (whole seconds, 1 s to 1 h). Sets a time window of that period; failures older
     * than the period no longer count.
     */
    public CircuitBreakerBuilder failureThreshold(int failures, int calls, Duration period) {
        failureCountThreshold(failures, calls);
        this.failureThresholdPeriod = java.util.Objects.requireNonNull(period, "period");
        this.windowType = WindowType.TIME_BASED;
        this.windowSize = (int) Math.min(Integer.MAX_VALUE, Math.max(0, period.getSeconds()));
        return this;
    }

    /** Calls at least this long count as slow (default zero: no slow-call detection). */
    public CircuitBreakerBuilder slowCallDuration(Duration duration) {
        this.slowCallDuration = duration;
        return this;
    }

    /** Slow-call percentage in the window that opens the circuit, in (0, 100] (default 100). */
    public CircuitBreakerBuilder slowCallRateThreshold(double percent) {
        this.slowCallRateThreshold = percent;
        return this;
    }

    /** The first open period (default 60 s). */
    public CircuitBreakerBuilder recoveryTimeout(Duration timeout) {
        this.recoveryTimeout = timeout;
        return this;
    }

    /** The cap on the open period as it grows (default 300 s). */
    public CircuitBreakerBuilder maxRecoveryTimeout(Duration timeout) {
        this.maxRecoveryTimeout = timeout;
        return this;
    }

    /** Whether each consecutive re-open multiplies the open period (default true). */
    public CircuitBreakerBuilder exponentialBackoff(boolean enabled) {
        this.exponentialBackoff = enabled;
        return this;
    }

    /** The factor per consecutive re-open, in [1, 100] (default 2). */
    public CircuitBreakerBuilder backoffMultiplier(double multiplier) {
        this.backoffMultiplier = multiplier;
        return this;
    }

    /** Successful probes that close a half-open circuit (default 3). */
    public CircuitBreakerBuilder successThreshold(int successes) {
        this.successThreshold = successes;
        return this;
    }

    /** Probe calls let through per half-open period (default: the success threshold). */
    public CircuitBreakerBuilder halfOpenMaxProbes(int probes) {
        this.halfOpenMaxProbes = probes;
        return this;
    }

    /** How long a half-open circuit waits for its probes before re-opening (default 60 s; zero waits forever). */
    public CircuitBreakerBuilder maxHalfOpenDuration(Duration duration) {
        this.maxHalfOpenDuration = duration;
        return this;
    }

    /** Whether the consecutive-failure threshold adapts to the EWMA error level (default false). */
    public CircuitBreakerBuilder adaptiveThreshold(boolean enabled) {
        this.adaptiveThreshold = enabled;
        return this;
    }

    /** EWMA smoothing factor, in [0.01, 1.0] (default 0.3). */
    public CircuitBreakerBuilder ewmaAlpha(double alpha) {
        this.ewmaAlpha = alpha;
        return this;
    }

    /** Standard deviations added to the EWMA error level, in [0.5, 5.0] (default 2.0). */
    public CircuitBreakerBuilder adaptiveSensitivity(double sensitivity) {
        this.adaptiveSensitivity = sensitivity;
        return this;
    }

    /** Whether latencies are kept for the health score (default false: the fast path reads no clock). */
    public CircuitBreakerBuilder trackLatency(boolean enabled) {
        this.trackLatency = enabled;
        return this;
    }

    /** How many recent latencies the health score reads (default 50). */
    public CircuitBreakerBuilder latencySamples(int samples) {
        this.latencySamples = samples;
        return this;
    }

    /** Below this health score the circuit is DEGRADED (default 0.3). */
    public CircuitBreakerBuilder minHealthScore(double score) {
        this.minHealthScore = score;
        return this;
    }

    /** Above this health score a degraded circuit is HEALTHY again (default 0.7). */
    public CircuitBreakerBuilder healthRecoveryScore(double score) {
        this.healthRecoveryScore = score;
        return this;
    }

    /** Transitions kept in the history (default 50). */
    public CircuitBreakerBuilder historySize(int transitions) {
        this.historySize = transitions;
        return this;
    }

    /** How long a transition stays in the history (default 24 h). */
    public CircuitBreakerBuilder retentionPeriod(Duration period) {
        this.retentionPeriod = period;
        return this;
    }

    /** How often expired history is dropped (default 1 h). */
    public CircuitBreakerBuilder cleanupInterval(Duration interval) {
        this.cleanupInterval = interval;
        return this;
    }

    /** Which exceptions count as failures (default: all); the others count as successes. */
    public CircuitBreakerBuilder recordFailure(Predicate<Throwable> predicate) {
        this.recordFailure = predicate;
        return this;
    }

    /**
     * Which exceptions are ignored: neither success nor failure (default: {@link RejectedException}, the refusal of
     * a bulkhead, rate limiter or breaker placed inside this one, which says nothing about the dependency).
     */
    public CircuitBreakerBuilder ignoreException(Predicate<Throwable> predicate) {
        this.ignoreException = predicate;
        return this;
    }

    /** Which results count as failures (default: none). */
    public CircuitBreakerBuilder recordResult(Predicate<@Nullable Object> predicate) {
        this.recordResult = predicate;
        return this;
    }

    /** The time source (default {@link Clock#system()}). */
    public CircuitBreakerBuilder clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** A scheduler that moves an open circuit to half-open on time with no call arriving (default none). */
    public CircuitBreakerBuilder scheduler(@Nullable Scheduler scheduler) {
        this.scheduler = scheduler;
        return this;
    }

    /** Uses a {@link dev.bulwark.time.ManualClock} (or any clock that is also a scheduler) for both. */
    public <T extends Clock & Scheduler> CircuitBreakerBuilder clockAndScheduler(T clockAndScheduler) {
        this.clock = clockAndScheduler;
        this.scheduler = clockAndScheduler;
        return this;
    }

    /**
     * The config.
     *
     * @throws ConfigException naming the field, value and allowed range of the first invalid setting
     */
    public CircuitBreakerConfig buildConfig() {
        Duration period = failureThresholdPeriod;
        if (period != null && (period.getNano() != 0 || period.getSeconds() < 1 || period.getSeconds() > 3_600)) {
            throw new dev.bulwark.ConfigException("circuit '" + name + "'", "failureThresholdPeriod", period,
                    "whole seconds in [1 s, 3600 s]");
        }
        if (period != null && (windowType != WindowType.TIME_BASED || windowSize != period.getSeconds())) {
            throw new dev.bulwark.ConfigException("circuit '" + name + "'", "failureThresholdPeriod", period,
                    "the only window setting (a later countWindow/timeWindow set another window)");
        }
        return new CircuitBreakerConfig(name, windowType, windowSize, minimumNumberOfCalls, failureRateThreshold,
                consecutiveFailureThreshold, failureCountThreshold, failureCountMinimumCalls, slowCallDuration, slowCallRateThreshold, recoveryTimeout,
                maxRecoveryTimeout, exponentialBackoff, backoffMultiplier, successThreshold,
                halfOpenMaxProbes != null ? halfOpenMaxProbes : successThreshold, maxHalfOpenDuration,
                adaptiveThreshold, ewmaAlpha, adaptiveSensitivity, trackLatency, latencySamples, minHealthScore,
                healthRecoveryScore, historySize, retentionPeriod, cleanupInterval, recordFailure, ignoreException,
                recordResult, clock, scheduler);
    }

    /**
     * A circuit breaker with this config.
     *
     * @throws ConfigException naming the field, value and allowed range of the first invalid setting
     */
    public CircuitBreaker build() {
        return CircuitBreaker.of(buildConfig());
    }
}
