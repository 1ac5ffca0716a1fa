package dev.bulwark.circuit;

import dev.bulwark.ConfigException;
import dev.bulwark.RejectedException;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.GivenSettings;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The immutable settings of one circuit breaker. Built with {@link CircuitBreaker#builder(String)};
 * every field is validated here, so an invalid value fails at build time with the field, the value and
 * the allowed range. Defaults (with the gateway's YAML key): {@code failure_threshold} 5, {@code recovery_timeout}
 * 60 s growing exponentially to {@code max_recovery_timeout} 300 s, {@code success_threshold} 3,
 * {@code ewma_alpha} 0.3, {@code adaptive_sensitivity} 2.0, {@code min_health_score} 0.3, recovery of
 * health above 0.7, {@code retention_period} 24 h and {@code cleanup_interval} 1 h.
 *
 * <p>How the adaptive threshold moves is described on {@link CircuitBreaker}; the health score and its hysteresis on
 * {@link CircuitBreaker.Stats}.
 *
 * @param name the breaker's name, unique among breakers in a registry
 * @param windowType count- or time-based window
 * @param windowSize calls (count-based) or seconds (time-based) in the window
 * @param minimumNumberOfCalls calls the window must hold before rates are judged
 * @param failureRateThreshold percentage of failed calls in the window that opens the circuit, in [0, 100]: the
 *        circuit opens when the window holds at least {@code minimumNumberOfCalls} calls, at least one of them failed,
 *        and the failed share is at or above it; so 0 opens on any failure once the minimum is reached and 100 only
 *        when every call in the window failed (a MicroProfile {@code failureRatio} r is {@code 100 * r})
 * @param consecutiveFailureThreshold consecutive failures that open the circuit; 0 turns the check off
 * @param failureCountThreshold failures in the window that open the circuit once it holds at least
 *        {@code failureCountMinimumCalls} calls (with a time window: N failures among at least M calls within the
 *        period); 0 turns the check off (the default)
 * @param failureCountMinimumCalls calls the window must hold before {@code failureCountThreshold} is judged, at least
 *        {@code failureCountThreshold} (and at most {@code windowSize} for a count-based window)
 * @param slowCallDuration calls at least this long are slow; zero turns slow-call detection off. Calls are timed with
 *        the clock's {@link Clock#coarseNanoTime() coarse reading}: with {@link Clock#system()} a duration is accurate
 *        to about a millisecond (not nanoseconds), which is what buys a timed call its speed
 * @param slowCallRateThreshold percentage of slow calls in the window that opens the circuit, in [0, 100], judged
 *        as {@code failureRateThreshold} (at least one slow call is needed)
 * @param recoveryTimeout the first open period, {@code >= 0}; zero lets the next call through as a half-open probe
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
 * @param trackLatency whether call latencies are kept for the health score (timed, like slow calls, to about a
 *        millisecond with {@link Clock#system()})
 * @param latencySamples how many recent latencies the health score reads
 * @param minHealthScore below this score the circuit reports itself degraded ({@link CircuitBreaker.Stats#degraded()})
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
        CircuitBreakerConfig.WindowType windowType,
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

    /** Largest window: bounds the memory a breaker may hold. */
    public static final int MAX_WINDOW_SIZE = 100_000;

    /** Validates every field; see the class description for the ranges. */
    public CircuitBreakerConfig {
        String who = "circuit '" + Checks.name("circuit", name) + "'";
        BreakerConfigChecks.window(who, windowType, windowSize, minimumNumberOfCalls);
        BreakerConfigChecks.thresholds(who, windowType, windowSize, failureRateThreshold, consecutiveFailureThreshold,
                failureCountThreshold, failureCountMinimumCalls, slowCallDuration, slowCallRateThreshold);
        BreakerConfigChecks.recovery(who, recoveryTimeout, maxRecoveryTimeout, backoffMultiplier);
        BreakerConfigChecks.halfOpen(who, successThreshold, halfOpenMaxProbes, maxHalfOpenDuration);
        BreakerConfigChecks.health(who, ewmaAlpha, adaptiveSensitivity, latencySamples, minHealthScore,
                healthRecoveryScore);
        BreakerConfigChecks.history(who, historySize, retentionPeriod, cleanupInterval);
        Objects.requireNonNull(recordFailure, "recordFailure");
        Objects.requireNonNull(ignoreException, "ignoreException");
        Objects.requireNonNull(recordResult, "recordResult");
        Objects.requireNonNull(clock, "clock");
    }

    /** A builder with every default, for a breaker called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder starting from this config's values, none of them given yet, so each may be overridden once. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** True when calls must be timed (slow-call detection or latency tracking). */
    boolean timesCalls() {
        return trackLatency || !slowCallDuration.isZero();
    }

    /**
     * Builds a {@link CircuitBreakerConfig} or, with {@link #build()}, a {@link CircuitBreaker}. Each setting may be
     * given once; a second call fails naming it. Not thread-safe.
     */
    public static final class Builder {
        private final GivenSettings given = new GivenSettings();
        private final BreakerSettings settings;

        private Builder(String name) {
            this.settings = new BreakerSettings(name);
        }

        private Builder(CircuitBreakerConfig config) {
            this.settings = new BreakerSettings(config);
        }

        /** Renames the breaker (for a derived config). */
        public Builder name(String name) {
            return set("name", () -> settings.name = name);
        }

        /** Calls the window must hold before rates are judged (default 10). */
        public Builder minimumNumberOfCalls(int calls) {
            return set("minimumNumberOfCalls", () -> settings.minimumNumberOfCalls = calls);
        }

        /**
         * Failure percentage in the window that opens the circuit, in [0, 100] (default 50): the circuit opens once the
         * window holds {@code minimumNumberOfCalls}, one or more failed and the failed share is at or above it (0: any
         * failure; 100: only all failures).
         */
        public Builder failureRateThreshold(double percent) {
            return set("failureRateThreshold", () -> settings.failureRateThreshold = percent);
        }

        /** Consecutive failures that open the circuit (default 5; YAML {@code failure_threshold}); 0 turns it off. */
        public Builder consecutiveFailureThreshold(int failures) {
            return set("consecutiveFailureThreshold", () -> settings.consecutiveFailureThreshold = failures);
        }

        /** Calls at least this long count as slow (default zero: no slow-call detection). */
        public Builder slowCallDuration(Duration duration) {
            return set("slowCallDuration", () -> settings.slowCallDuration = duration);
        }

        /** Slow-call percentage in the window that opens the circuit, in [0, 100] (default 100); one slow call at least. */
        public Builder slowCallRateThreshold(double percent) {
            return set("slowCallRateThreshold", () -> settings.slowCallRateThreshold = percent);
        }

        /** The first open period (default 60 s); zero lets the next call through as a half-open probe. */
        public Builder recoveryTimeout(Duration timeout) {
            return set("recoveryTimeout", () -> settings.recoveryTimeout = timeout);
        }

        /** The cap on the open period as it grows (default 300 s). */
        public Builder maxRecoveryTimeout(Duration timeout) {
            return set("maxRecoveryTimeout", () -> settings.maxRecoveryTimeout = timeout);
        }

        /** Whether each consecutive re-open multiplies the open period (default true). */
        public Builder exponentialBackoff(boolean enabled) {
            return set("exponentialBackoff", () -> settings.exponentialBackoff = enabled);
        }

        /** The factor per consecutive re-open, in [1, 100] (default 2). */
        public Builder backoffMultiplier(double multiplier) {
            return set("backoffMultiplier", () -> settings.backoffMultiplier = multiplier);
        }

        /** Successful probes that close a half-open circuit (default 3). */
        public Builder successThreshold(int successes) {
            return set("successThreshold", () -> settings.successThreshold = successes);
        }

        /** Probe calls let through per half-open period (default: the success threshold). */
        public Builder halfOpenMaxProbes(int probes) {
            return set("halfOpenMaxProbes", () -> settings.halfOpenMaxProbes = probes);
        }

        /** How long a half-open circuit waits for its probes before re-opening (default 60 s; zero waits forever). */
        public Builder maxHalfOpenDuration(Duration duration) {
            return set("maxHalfOpenDuration", () -> settings.maxHalfOpenDuration = duration);
        }

        /** Whether the consecutive-failure threshold adapts to the EWMA error level (default false). */
        public Builder adaptiveThreshold(boolean enabled) {
            return set("adaptiveThreshold", () -> settings.adaptiveThreshold = enabled);
        }

        /** EWMA smoothing factor, in [0.01, 1.0] (default 0.3). */
        public Builder ewmaAlpha(double alpha) {
            return set("ewmaAlpha", () -> settings.ewmaAlpha = alpha);
        }

        /** Standard deviations added to the EWMA error level, in [0.5, 5.0] (default 2.0). */
        public Builder adaptiveSensitivity(double sensitivity) {
            return set("adaptiveSensitivity", () -> settings.adaptiveSensitivity = sensitivity);
        }

        /** Whether latencies are kept for the health score (default false: the fast path reads no clock). */
        public Builder trackLatency(boolean enabled) {
            return set("trackLatency", () -> settings.trackLatency = enabled);
        }

        /** How many recent latencies the health score reads (default 50). */
        public Builder latencySamples(int samples) {
            return set("latencySamples", () -> settings.latencySamples = samples);
        }

        /** Below this health score the circuit is DEGRADED (default 0.3). */
        public Builder minHealthScore(double score) {
            return set("minHealthScore", () -> settings.minHealthScore = score);
        }

        /** Above this health score a degraded circuit is HEALTHY again (default 0.7). */
        public Builder healthRecoveryScore(double score) {
            return set("healthRecoveryScore", () -> settings.healthRecoveryScore = score);
        }

        /** Transitions kept in the history (default 50). */
        public Builder historySize(int transitions) {
            return set("historySize", () -> settings.historySize = transitions);
        }

        /** How long a transition stays in the history (default 24 h). */
        public Builder retentionPeriod(Duration period) {
            return set("retentionPeriod", () -> settings.retentionPeriod = period);
        }

        /** How often expired history is dropped (default 1 h). */
        public Builder cleanupInterval(Duration interval) {
            return set("cleanupInterval", () -> settings.cleanupInterval = interval);
        }

        /** Which exceptions count as failures (default: all); the others count as successes. */
        public Builder recordFailure(Predicate<Throwable> predicate) {
            return set("recordFailure", () -> settings.recordFailure = predicate);
        }

        /**
         * Which exceptions are ignored: neither success nor failure (default: {@link RejectedException}, the refusal of
         * a bulkhead, rate limiter or breaker placed inside this one, which says nothing about the dependency).
         */
        public Builder ignoreException(Predicate<Throwable> predicate) {
            return set("ignoreException", () -> settings.ignoreException = predicate);
        }

        /** Which results count as failures (default: none). */
        public Builder recordResult(Predicate<@Nullable Object> predicate) {
            return set("recordResult", () -> settings.recordResult = predicate);
        }

        /** A window of the last {@code calls} calls (default: count-based, 100); sets windowType and windowSize. */
        public Builder countWindow(int calls) {
            return windowType(CircuitBreakerConfig.WindowType.COUNT_BASED).windowSize(calls);
        }

        /**
         * A window of the last {@code seconds} seconds, in one-second buckets; sets windowType and windowSize. A call
         * lands in the bucket of the clock's {@link Clock#coarseNanoTime() coarse reading} when it ends: with
         * {@link Clock#system()}, a call ending within about a millisecond of a second's edge may count in the
         * neighbouring second.
         */
        public Builder timeWindow(int seconds) {
            return windowType(CircuitBreakerConfig.WindowType.TIME_BASED).windowSize(seconds);
        }

        /** Count- or time-based window (default count-based). */
        public Builder windowType(CircuitBreakerConfig.WindowType type) {
            return set("windowType", () -> settings.windowType = Objects.requireNonNull(type, "windowType"));
        }

        /** Calls (count-based) or seconds (time-based) in the window (default 100 calls or 60 seconds). */
        public Builder windowSize(int size) {
            return set("windowSize", () -> settings.windowSize = size);
        }

        /**
         * Opens the circuit when the window holds at least {@code failures} failures among at least
         * {@link #failureCountMinimumCalls(int)} calls, whatever the failure rate (default 0: off).
         */
        public Builder failureCountThreshold(int failures) {
            return set("failureCountThreshold", () -> settings.failureCountThreshold = failures);
        }

        /** Calls the window must hold before the failure count is judged (default: the failure count itself). */
        public Builder failureCountMinimumCalls(int calls) {
            return set("failureCountMinimumCalls", () -> settings.failureCountMinimumCalls = calls);
        }

        /** Shorthand for {@code failureCountThreshold(failures).failureCountMinimumCalls(calls)}. */
        public Builder failureCountThreshold(int failures, int calls) {
            return failureCountThreshold(failures).failureCountMinimumCalls(calls);
        }

        /**
         * Time-based thresholding: opens the circuit on {@code failures} failures among at least {@code calls} calls
         * within the last {@code period} (whole seconds, 1 s to 1 h). Sets a time window of that period (so no
         * other window may be given); failures older than the period no longer count.
         */
        public Builder failureThreshold(int failures, int calls, Duration period) {
            BreakerConfigChecks.thresholdPeriod(component(), period);
            return failureCountThreshold(failures, calls).timeWindow((int) period.getSeconds());
        }

        /** The time source (default {@link Clock#system()}). */
        public Builder clock(Clock clock) {
            return set("clock", () -> settings.clock = Objects.requireNonNull(clock, "clock"));
        }

        /** A scheduler that moves an open circuit to half-open on time with no call arriving (default none). */
        public Builder scheduler(@Nullable Scheduler scheduler) {
            return set("scheduler", () -> settings.scheduler = scheduler);
        }

        /** Uses a {@link dev.bulwark.time.ManualClock} (or any clock that is also a scheduler) for both. */
        public <T extends Clock & Scheduler> Builder clockAndScheduler(T clockAndScheduler) {
            return clock(clockAndScheduler).scheduler(clockAndScheduler);
        }

        private Builder set(String setting, Runnable assignment) {
            given.mark(component(), setting);
            assignment.run();
            return this;
        }

        private String component() {
            return "circuit '" + settings.name + "'";
        }

        /**
         * The config.
         *
         * @throws ConfigException naming the field, value and allowed range of the first invalid setting
         */
        public CircuitBreakerConfig buildConfig() {
            return settings.toConfig();
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

    /** How a circuit breaker's window of recent calls is bounded. */
    public enum WindowType {
        /** The last {@code windowSize} calls. */
        COUNT_BASED,
        /** The calls of the last {@code windowSize} seconds, in one-second buckets. */
        TIME_BASED
    }
}
