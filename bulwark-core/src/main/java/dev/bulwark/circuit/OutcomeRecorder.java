package dev.bulwark.circuit;

import dev.bulwark.internal.LatencySamples;
import dev.bulwark.internal.listeners.Listeners;
import dev.bulwark.internal.Outcomes;
import dev.bulwark.time.Clock;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Turns call outcomes into counts, verdicts and health. The path a plain success takes in a closed
 * circuit reads a few fields and bumps one striped counter; everything else happens only when there is
 * something to judge: a failure, a slow call, a window holding failures, a degraded health status.
 */
final class OutcomeRecorder {
    private final CircuitBreakerConfig config;
    private final StateMachine machine;
    private final Listeners<CircuitBreaker.Event> listeners;
    private final Clock clock;
    private final String name;
    private final long slowNanos;
    private final boolean timed;
    private final @Nullable Ewma ewma;
    private final @Nullable LatencySamples latencies;

    private final LongAdder failed = new LongAdder();
    private final LongAdder slow = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder ignored = new LongAdder();
    private volatile long lastSuccessNanos;
    private volatile boolean anySuccessTimed;
    private volatile long lastFailureWallMillis = -1L;
    private volatile boolean degraded;

    OutcomeRecorder(CircuitBreakerConfig config, StateMachine machine, @Nullable LatencySamples latencies) {
        this.config = config;
        this.machine = machine;
        this.listeners = machine.listeners;
        this.clock = config.clock();
        this.name = config.name();
        this.slowNanos = config.slowCallDuration().toNanos();
        this.timed = config.timesCalls();
        this.ewma = config.adaptiveThreshold() ? new Ewma(config.ewmaAlpha()) : null;
        this.latencies = latencies;
    }

    // ---- outcomes ----

    void success(Phase phase, long durationNanos, long nowNanos) {
        if (phase.state == CircuitBreaker.State.DISABLED) {
            return;
        }
        boolean isSlow = slowNanos > 0 && durationNanos >= slowNanos;
        if (phase instanceof Phase.Closed closed) {
            noteSuccessStart(closed, durationNanos, nowNanos);
        }
        if (phase instanceof Phase.Closed closed && !isSlow) {
            closedSuccess(closed, nowNanos);
        } else {
            judged(phase, false, isSlow, nowNanos, durationNanos);
        }
        afterSuccess(durationNanos, nowNanos, isSlow);
    }

    /** Keeps when the latest timed success started, written at most once a millisecond to spare the shared line. */
    private static void noteSuccessStart(Phase.Closed closed, long durationNanos, long nowNanos) {
        if (durationNanos >= 0 && nowNanos - durationNanos - closed.latestSuccessStartNanos >= 1_000_000L) {
            closed.latestSuccessStartNanos = nowNanos - durationNanos;
        }
    }

    /** The hot path. */
    private void closedSuccess(Phase.Closed closed, long nowNanos) {
        boolean rejudge = closed.window.recordSuccess(nowNanos);
        if (closed.consecutiveFailures.get() != 0) {
            closed.consecutiveFailures.set(0);
        }
        if (rejudge || (ewma != null && !ewma.isIdle())) {
            WindowCounts counts = closed.window.refresh(nowNanos);
            if (ewma != null) {
                ewma.update(counts.failures() / (double) Math.max(1, counts.calls()));
            }
            CircuitBreaker.TransitionReason verdict = rateVerdict(counts);
            if (verdict != null) {
                machine.open(closed, verdict, counts, counts.failures());
            }
        }
    }

    /** Records a thrown exception; a predicate that throws frees the call's permission and propagates, nothing counted. */
    void error(Phase phase, long durationNanos, long nowNanos, Throwable error) {
        if (phase.state == CircuitBreaker.State.DISABLED) {
            return;
        }
        boolean ignore;
        boolean record;
        try {
            ignore = config.ignoreException().test(error);
            record = !ignore && config.recordFailure().test(error);
        } catch (Throwable predicateFailure) {
            release(phase);
            throw predicateFailure;
        }
        if (ignore) {
            ignored.increment();
            release(phase);
            if (!listeners.isEmpty()) {
                listeners.publish(new CircuitBreaker.Event.ErrorIgnored(name, error));
            }
        } else if (record) {
            if (Outcomes.isTimeout(error)) {
                timedOut.increment();
            }
            failure(phase, durationNanos, nowNanos, error);
        } else {
            success(phase, durationNanos, nowNanos);
        }
    }

    void failure(Phase phase, long durationNanos, long nowNanos, @Nullable Throwable error) {
        if (phase.state == CircuitBreaker.State.DISABLED) {
            return;
        }
        boolean isSlow = slowNanos > 0 && durationNanos >= slowNanos;
        failed.increment();
        lastFailureWallMillis = clock.wallMillis();
        judged(phase, true, isSlow, nowNanos, durationNanos);
        if (isSlow) {
            slow.increment();
        }
        if (latencies != null && durationNanos >= 0) {
            latencies.record(durationNanos);
        }
        if (!listeners.isEmpty()) {
            listeners.publish(new CircuitBreaker.Event.FailureRecorded(name, measured(durationNanos), isSlow, error));
        }
        judgeHealth(nowNanos);
    }

    /** A call whose outcome will never be recorded: frees its half-open probe slot. */
    void release(Phase phase) {
        if (phase instanceof Phase.HalfOpen halfOpen) {
            halfOpen.release();
        }
    }

    /**
     * Records a failure or slow call (an event) against the phase the call was admitted in. A failure extends the
     * run of consecutive failures unless its call is known (timed) to have started before the latest success
     * started: under concurrency, calls finish out of order, and a call that hung since before the dependency
     * recovered says nothing about the dependency now.
     */
    private void judged(Phase phase, boolean failure, boolean isSlow, long nowNanos, long durationNanos) {
        if (phase instanceof Phase.Closed closed) {
            WindowCounts counts = closed.window.recordEvent(failure, isSlow, nowNanos);
            int consecutive = !failure ? resetRun(closed)
                    : durationNanos >= 0 && nowNanos - durationNanos - closed.latestSuccessStartNanos < 0
                            ? closed.consecutiveFailures.get() : closed.consecutiveFailures.incrementAndGet();
            if (ewma != null) {
                ewma.update(counts.failures() / (double) Math.max(1, counts.calls()));
            }
            CircuitBreaker.TransitionReason verdict = null;
            int threshold = consecutiveThreshold();
            if (threshold > 0 && consecutive >= threshold) {
                verdict = CircuitBreaker.TransitionReason.CONSECUTIVE_FAILURES;
            } else {
                verdict = rateVerdict(counts);
            }
            if (verdict != null) {
                // the failures behind the verdict, as observed here: a concurrent failure cannot inflate it
                machine.open(closed, verdict, counts,
                        verdict == CircuitBreaker.TransitionReason.CONSECUTIVE_FAILURES ? consecutive : counts.failures());
            }
            return;
        }
        if (phase instanceof Phase.MetricsOnly watching) {
            if (failure || isSlow) {
                watching.window.recordEvent(failure, isSlow, nowNanos);
            } else {
                watching.window.recordSuccess(nowNanos);
            }
            if (failure) {
                watching.consecutiveFailures.incrementAndGet();
            } else if (watching.consecutiveFailures.get() != 0) {
                watching.consecutiveFailures.set(0);
            }
            return;
        }
        machine.calls.increment();
        if (phase instanceof Phase.HalfOpen halfOpen) {
            if (failure || isSlow) {
                machine.reopen(halfOpen, CircuitBreaker.TransitionReason.PROBE_FAILED);
            } else if (halfOpen.successes.incrementAndGet() >= config.successThreshold()) {
                machine.close(halfOpen);
            }
        }
    }

    private static int resetRun(Phase.Closed closed) {
        closed.consecutiveFailures.set(0);
        return 0;
    }

    private void afterSuccess(long durationNanos, long nowNanos, boolean isSlow) {
        if (isSlow) {
            slow.increment();
        }
        if (timed && durationNanos >= 0) {
            if (!anySuccessTimed || nowNanos - lastSuccessNanos > 1_000_000L) {
                lastSuccessNanos = nowNanos;
                anySuccessTimed = true;
            }
            if (latencies != null && (latencies.record(durationNanos) || degraded)
                    && mayChangeHealth(nowNanos)) {
                judgeHealth(nowNanos);
            }
        }
        if (!listeners.isEmpty()) {
            listeners.publish(new CircuitBreaker.Event.SuccessRecorded(name, measured(durationNanos), isSlow));
        }
    }

    /**
     * False when a re-judgement cannot change the status: a healthy circuit whose window holds no failure
     * scores at least 0.5 on success rate alone, so it cannot fall below a minimum of 0.5 or less.
     */
    private boolean mayChangeHealth(long nowNanos) {
        if (degraded || config.minHealthScore() > HealthScore.SUCCESS_WEIGHT) {
            return true;
        }
        OutcomeWindow window = machine.current().window();
        return window != null && window.hasEvents(nowNanos);
    }

    /** The consecutive-failure threshold, scaled by the EWMA error level when adaptive. */
    int consecutiveThreshold() {
        int base = config.consecutiveFailureThreshold();
        if (ewma == null || base == 0) {
            return base;
        }
        return Ewma.scaledThreshold(base, ewma.level(config.adaptiveSensitivity()));
    }

    private CircuitBreaker.@Nullable TransitionReason rateVerdict(WindowCounts counts) {
        int failureCount = config.failureCountThreshold();
        if (failureCount > 0 && counts.failures() >= failureCount && counts.calls() >= config.failureCountMinimumCalls()) {
            return CircuitBreaker.TransitionReason.FAILURE_COUNT;
        }
        if (counts.calls() < config.minimumNumberOfCalls()) {
            return null;
        }
        if (counts.failures() > 0 && counts.failureRate() >= config.failureRateThreshold()) {
            return CircuitBreaker.TransitionReason.FAILURE_RATE;
        }
        if (slowNanos > 0 && counts.slow() > 0 && counts.slowRate() >= config.slowCallRateThreshold()) {
            return CircuitBreaker.TransitionReason.SLOW_CALL_RATE;
        }
        return null;
    }

    /** Counts failures carried over from a previous breaker's window. */
    void carried(int failures) {
        failed.add(failures);
    }

    void resetLearning() {
        if (ewma != null) {
            ewma.clear();
        }
    }

    // ---- observation ----

    /** The health score and its parts at one moment, and the status after hysteresis. */
    private record Health(double score, boolean degraded, double latencyScore, double jitterScore, double meanMillis,
                          double jitterMillis) {
    }

    private Health judgeHealth(long nowNanos) {
        Phase phase = machine.current();
        WindowCounts counts = machine.countsOf(phase);
        double[] latency = latencies == null ? new double[] {Double.NaN, Double.NaN} : latencies.meanAndStdDevMillis();
        double latencyScore = HealthScore.latencyScore(latency[0]);
        double jitterScore = HealthScore.jitterScore(latency[1]);
        double score = HealthScore.score(counts.successShare(), latencyScore, jitterScore);
        boolean before = degraded;
        boolean after = before ? !(score > config.healthRecoveryScore()) : score < config.minHealthScore();
        if (after != before) {
            degraded = after;
            if (!listeners.isEmpty()) {
                listeners.publish(new CircuitBreaker.Event.HealthChanged(name, after, score));
            }
        }
        return new Health(score, after, latencyScore, jitterScore, latency[0], latency[1]);
    }

    CircuitBreaker.Stats stats() {
        long now = clock.nanoTime();
        Health health = judgeHealth(now);
        CircuitBreaker.State state = machine.state();
        Phase phase = machine.current();
        WindowCounts counts = machine.countsOf(phase);
        long total = machine.calls.sum();
        long failures = failed.sum();
        boolean judged = counts.calls() >= config.minimumNumberOfCalls();
        OptionalLong lastSuccess = anySuccessTimed
                ? OptionalLong.of(clock.wallMillis() - (now - lastSuccessNanos) / 1_000_000L)
                : OptionalLong.empty();
        long lastFailure = lastFailureWallMillis;
        return new CircuitBreaker.Stats(state, total, Math.max(0, total - failures), failures, slow.sum(),
                machine.rejected.sum(), timedOut.sum(), ignored.sum(), counts.calls(), counts.failures(),
                judged ? OptionalDouble.of(counts.failureRate()) : OptionalDouble.empty(),
                judged && slowNanos > 0 ? OptionalDouble.of(counts.slowRate()) : OptionalDouble.empty(),
                counts.successRatePercent(), phase.consecutiveFailures(), consecutiveThreshold(), Duration.ofNanos(Math.max(0, now - phase.enteredNanos)),
                lastSuccess, lastFailure < 0 ? OptionalLong.empty() : OptionalLong.of(lastFailure),
                Duration.ofNanos(machine.nextOpenNanos()), health.score(), health.degraded(), health.latencyScore(),
                health.jitterScore(), known(health.meanMillis()), known(health.jitterMillis()), machine.history());
    }

    private static OptionalDouble known(double millis) {
        return Double.isNaN(millis) ? OptionalDouble.empty() : OptionalDouble.of(millis);
    }

    private static OptionalLong measured(long durationNanos) {
        return durationNanos < 0 ? OptionalLong.empty() : OptionalLong.of(durationNanos);
    }
}
