package dev.bulwark.circuit;

import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A circuit breaker: while a dependency keeps failing, calls to it are rejected at once with a
 * {@link CircuitOpenException} instead of waiting on it; after an open period a few probe calls test it,
 * and enough successes close the circuit again.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.builder("payments")
 *         .consecutiveFailureThreshold(5)
 *         .recoveryTimeout(Duration.ofSeconds(60))
 *         .build();
 * breaker.subscribe(event -> log.info(event.toString()));
 * Receipt receipt = breaker.execute(() -> payments.charge(order));
 * }</pre>
 *
 * <p>Use it as a {@link Policy} (alone, or in a {@link dev.bulwark.Pipeline}), or drive it by hand
 * around calls it does not run: {@link #tryAcquirePermission()}, then {@link #onSuccess(long)} or
 * {@link #onError(long, Throwable)}, or {@link #releasePermission()} if the call never happened.
 *
 * <p><b>Adaptive threshold.</b> With {@code adaptiveThreshold} (off by default) every call recorded while closed
 * folds the window's failure fraction (failures / calls) into an exponentially weighted moving average with weight
 * {@code ewmaAlpha} (default 0.3), together with its variance. The error level is
 * {@code mean + adaptiveSensitivity * standardDeviation} (sensitivity default 2.0), and the consecutive-failure
 * threshold in force is the configured one scaled by that level: above 0.7 divided by 3, above 0.5 divided by 2,
 * above 0.3 times 3/4 (integer arithmetic), otherwise unchanged; never below 1. A threshold of 0 stays off.
 * {@link CircuitBreaker.Stats#failureThreshold()} shows the threshold in force.
 *
 * <p>A closed breaker takes no lock and allocates nothing per call. This interface's implementation
 * is thread-safe.
 */
public interface CircuitBreaker extends Policy, EventSource<CircuitBreaker.Event> {

    /** A builder for a breaker called {@code name}, with every default of {@link CircuitBreakerConfig}. */
    static CircuitBreakerConfig.Builder builder(String name) {
        return CircuitBreakerConfig.builder(name);
    }

    /** A breaker with the given config. */
    static CircuitBreaker of(CircuitBreakerConfig config) {
        return new DefaultCircuitBreaker(config);
    }

    /**
     * A breaker with {@code config} that starts where {@code previous} is now, so that a refreshed configuration
     * keeps an open circuit open. {@code previous} is read, never changed; calls still running under it record
     * there. The new breaker publishes no event for the state it starts in, so each transition is reported once.
     * <ul>
     *   <li>OPEN: stays OPEN for the rest of {@code previous}'s open period; the re-open count carries over, so the
     *       next open period grows as it would have.</li>
     *   <li>HALF_OPEN: HALF_OPEN with fresh probe slots (probes running under {@code previous} record there).</li>
     *   <li>CLOSED: when both windows are count-based, the most recent outcomes that fit the new window, and the
     *       run of consecutive failures, carry over (judged at the next call); a time-based window on either side
     *       starts empty.</li>
     *   <li>FORCED_OPEN, DISABLED, METRICS_ONLY (operator states): kept; METRICS_ONLY's window starts empty.</li>
     * </ul>
     *
     * @throws IllegalArgumentException if {@code previous} was not built by this library
     */
    static CircuitBreaker continuing(CircuitBreaker previous, CircuitBreakerConfig config) {
        if (!(previous instanceof DefaultCircuitBreaker built)) {
            throw new IllegalArgumentException("can only continue from a breaker built by CircuitBreaker.of or a "
                    + "builder, was " + previous.getClass().getName());
        }
        return new DefaultCircuitBreaker(config, built);
    }

    /** A breaker called {@code name} with every default. */
    static CircuitBreaker ofDefaults(String name) {
        return builder(name).build();
    }

    /** This breaker's settings. */
    CircuitBreakerConfig config();

    /**
     * The current state. An open circuit whose open period has ended becomes HALF_OPEN when asked, and a
     * half-open circuit that waited longer than {@code maxHalfOpenDuration} for a verdict re-opens when asked,
     * even if no call has arrived (with a scheduler both moves also happen on time).
     */
    State state();

    /**
     * A consistent-enough snapshot of counts, rates, health and history (each value read once). The health score
     * and status are evaluated now, so a status change found here is published as {@link Event.HealthChanged}.
     */
    Stats stats();

    /**
     * Asks to make one call. A true answer must be followed by exactly one of {@link #onSuccess},
     * {@link #onError}, {@link #onResult} or {@link #releasePermission()}.
     *
     * @return false if the call must not be made; the rejection is counted
     */
    boolean tryAcquirePermission();

    /**
     * Like {@link #tryAcquirePermission()}, but throws when the call must not be made.
     *
     * @throws CircuitOpenException naming the breaker, its state and when it may let calls through
     */
    void acquirePermission();

    /** Gives back a permission whose call was never made or was cancelled (a half-open probe slot frees up). */
    void releasePermission();

    /** Records a successful call that took {@code durationNanos} (negative when not measured). */
    void onSuccess(long durationNanos);

    /** Records a call that threw {@code error} after {@code durationNanos}; the predicates decide how it counts. */
    void onError(long durationNanos, Throwable error);

    /** Records a call that returned {@code result}; the result predicate decides whether it failed. */
    void onResult(long durationNanos, Object result);

    /** Opens the circuit now, as if the failure threshold had been reached; it recovers on its own. */
    void trip();

    /** Closes the circuit, clears its window and resets the open-period backoff. Leaves FORCED_OPEN and DISABLED. */
    void reset();

    /** Holds the circuit open, rejecting every call, until {@link #reset()}. */
    void forceOpen();

    /**
     * Adopts another instance's verdict that the dependency is down: opens the circuit for exactly {@code openFor}
     * (not the backoff period), or keeps an open circuit open until at least then. Records no failure and leaves the
     * re-open count as it is; once the period ends the circuit half-opens as usual. Acts on CLOSED, OPEN and
     * HALF_OPEN only: the operator states (FORCED_OPEN, DISABLED, METRICS_ONLY) are left alone. The transition is
     * published with {@link TransitionReason#PEER_VERDICT}, so whoever shares verdicts can tell it from the
     * breaker's own. For cluster coordination, e.g. {@code dev.bulwark.redis}; a single process never needs it.
     *
     * @param openFor how long to stay open from now, {@code > 0}
     * @return true if the state changed, false if the circuit already stays open that long or is held by an operator
     * @throws IllegalArgumentException if {@code openFor} is zero or negative
     */
    boolean adoptOpen(Duration openFor);

    /**
     * Adopts another instance's verdict that the dependency recovered: an OPEN or HALF_OPEN circuit closes with a
     * fresh window, published with {@link TransitionReason#PEER_VERDICT}; the open-period backoff is kept (unlike
     * {@link #reset()}). Any other state is left alone.
     *
     * @return true if the circuit closed
     */
    boolean adoptClosed();

    /**
     * Lets every call through until {@link #reset()}, counting nothing: while disabled no outcome reaches the
     * stats, the window, the health score or the outcome events (only the transition itself is an event). To keep
     * counting while letting everything through, use {@link #metricsOnly()}.
     */
    void disable();

    /**
     * Lets every call through until {@link #reset()} while recording every outcome as a closed circuit would
     * (stats, a fresh window and its rates, health, outcome events), but never changes state on them: what a
     * dashboard should show for a breaker being evaluated before it is allowed to act.
     */
    void metricsOnly();

    /**
     * Drops transitions older than the retention period now, without waiting for the cleanup interval; returns how
     * many.
     */
    int cleanup();

    /** The open period the next opening would use, given the consecutive re-opens so far. */
    Duration currentRecoveryTimeout();

    @Override
    default Class<? extends Component> kind() {
        return CircuitBreaker.class;
    }

    /** The states of a circuit breaker. {@link #code()} is the number exported as a metric. */
    enum State {
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

        State(int code) {
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

    /** Why a circuit changed state. {@link #label()} is the snake-case form used in logs and metrics. */
    enum TransitionReason {
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
        METRICS_ONLY("metrics_only"),
        /** Another instance's verdict, adopted by {@link CircuitBreaker#adoptOpen} or {@link CircuitBreaker#adoptClosed}. */
        PEER_VERDICT("peer_verdict");

        private final String label;

        TransitionReason(String label) {
            this.label = label;
        }

        /** The snake-case form, e.g. {@code failure_threshold_exceeded}. */
        public String label() {
            return label;
        }
    }

    /**
     * Everything a circuit breaker reports. A sealed interface of records, so a listener can {@code switch}
     * over every case. Outcome events are built only when someone listens.
     */
    sealed interface Event {

        /** The breaker's name. */
        String name();

        /**
         * The circuit changed state, with structured fields for logs. The breaker keeps the recent ones as its
         * {@linkplain Stats#history() history}.
         *
         * @param consecutiveFailures the {@code fail_count}: for a move to OPEN, the failures that opened the circuit as
         *        counted at that moment (the run for a consecutive-failure opening, the window's failures for a rate or
         *        count opening, the run including the failed probe for a probe failure, 0 for a half-open timeout);
         *        otherwise the run of consecutive failures when it happened
         * @param wallMillis when it happened, wall-clock milliseconds from the breaker's clock
         * @param successRatePercent success percentage of the window, in [0, 100] (100 when empty), the unit of
         *        {@link Stats#successRatePercent()}
         * @param meanLatencyMillis mean recent latency, empty when latencies are not tracked or none was recorded
         */
        record StateTransition(String name, State from, State to, TransitionReason reason,
                               int consecutiveFailures, double successRatePercent, OptionalDouble meanLatencyMillis,
                               long wallMillis) implements Event {

            /** Checks the fields. */
            public StateTransition {
                Objects.requireNonNull(meanLatencyMillis, "meanLatencyMillis");
            }

            /**
             * The structured log line, e.g. {@code endpoint=rpc.example.com state_transition="HALF_OPEN -> CLOSED"
             * reason="success_threshold_reached" fail_count=0 success_rate="95.00%" latency_ms=45.2}; {@code latency_ms}
             * only when a latency is known.
             */
            public String toLogLine() {
                return String.format(Locale.ROOT,
                        "endpoint=%s state_transition=\"%s -> %s\" reason=\"%s\" fail_count=%d success_rate=\"%.2f%%\"%s",
                        name, from, to, reason.label(), consecutiveFailures, successRatePercent,
                        meanLatencyMillis.isPresent()
                                ? String.format(Locale.ROOT, " latency_ms=%.1f", meanLatencyMillis.getAsDouble())
                                : "");
            }
        }

        /** A call was refused in {@code state}. */
        record CallRejected(String name, State state) implements Event {
        }

        /** A call succeeded after {@code durationNanos}, empty when the call was not timed. */
        record SuccessRecorded(String name, OptionalLong durationNanos, boolean slow) implements Event {
            /** Checks the fields. */
            public SuccessRecorded {
                Objects.requireNonNull(durationNanos, "durationNanos");
            }
        }

        /**
         * A call failed with {@code error} (null when a result was judged a failure) after {@code durationNanos}, empty
         * when the call was not timed.
         */
        record FailureRecorded(String name, OptionalLong durationNanos, boolean slow,
                               @org.jspecify.annotations.Nullable Throwable error) implements Event {
            /** Checks the fields. */
            public FailureRecorded {
                Objects.requireNonNull(durationNanos, "durationNanos");
            }
        }

        /** A call ended with an ignored exception: neither success nor failure. */
        record ErrorIgnored(String name, Throwable error) implements Event {
        }

        /**
         * The health status changed (see {@link Stats} for the score and its hysteresis).
         *
         * @param degraded true when the circuit became degraded, false when it became healthy again
         * @param score the health score that moved it, in [0, 1]
         */
        record HealthChanged(String name, boolean degraded, double score) implements Event {
        }
    }

    /**
     * A snapshot of a circuit breaker's counts, rates and health.
     *
     * <p>Cumulative counts cover the breaker's whole life. Window figures cover the current window (while
     * OPEN or HALF_OPEN: the window that opened the circuit). Every rate is a percentage in [0, 100], the unit of
     * the config's rate thresholds; a rate the breaker does not judge yet (fewer than {@code minimumNumberOfCalls}
     * calls in the window) is empty rather than a sentinel.
     *
     * <p><b>Health.</b> The health score is {@code 0.5 * successRate + 0.3 * latencyScore + 0.2 * jitterScore}, each
     * part in [0, 1]; the success rate is the share of successes in the current window. The latency and jitter parts
     * read the last {@code latencySamples} call latencies (default 50; kept only with {@code trackLatency}, off by
     * default):
     * <ul>
     *   <li>latency score, from their mean, falls linearly from 1.0 at 0 ms to 0.95 at 100 ms, to 0.5 at 1000 ms,
     *       to 0.0 at 5000 ms, and is 0 beyond;</li>
     *   <li>jitter score, from their standard deviation, falls linearly from 1.0 at 0 ms to 0.8 at 50 ms, to 0.3 at
     *       200 ms, to 0.0 at 500 ms, and is 0 beyond.</li>
     * </ul>
     * Without latency data both parts score 1. The status applies hysteresis to the score: a healthy circuit becomes
     * degraded when the score falls below {@code minHealthScore} (default 0.3) and healthy again only when it rises
     * above {@code healthRecoveryScore} (default 0.7). Health never rejects calls; it tells operators and the mode
     * orchestrator that a dependency is getting worse.
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
     * @param healthScore the weighted health score, in [0, 1]
     * @param degraded whether the health status, after hysteresis, is degraded
     * @param latencyScore the latency part of the health score, in [0, 1]
     * @param jitterScore the jitter part of the health score, in [0, 1]
     * @param meanLatencyMillis mean of the recent latencies in milliseconds, empty without data
     * @param jitterMillis standard deviation of the recent latencies in milliseconds, empty without data
     * @param history recent transitions, oldest first, bounded by size and retention
     */
    record Stats(
            State state,
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
            double healthScore,
            boolean degraded,
            double latencyScore,
            double jitterScore,
            OptionalDouble meanLatencyMillis,
            OptionalDouble jitterMillis,
            List<Event.StateTransition> history) {

        /** Copies the history. */
        public Stats {
            Objects.requireNonNull(meanLatencyMillis, "meanLatencyMillis");
            Objects.requireNonNull(jitterMillis, "jitterMillis");
            history = List.copyOf(history);
        }
    }
}
