package dev.bulwark.circuit;

import dev.bulwark.internal.BoundedHistory;
import dev.bulwark.internal.LatencySamples;
import dev.bulwark.internal.listeners.Listeners;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A breaker's states and the moves between them. Each move is a compare-and-set from the phase the
 * mover saw, so when two threads race to open (or close) a circuit exactly one wins and exactly one
 * event is published.
 */
final class StateMachine {
    private static final System.Logger LOG = System.getLogger("dev.bulwark.circuit");

    final CircuitBreakerConfig config;
    final Listeners<CircuitBreaker.Event> listeners;
    final LongAdder calls = new LongAdder();
    final LongAdder rejected = new LongAdder();
    private final String name;
    private final Clock clock;
    private final @Nullable Scheduler scheduler;
    private final @Nullable LatencySamples latencies;
    private final AtomicReference<Phase> phase;
    private final BoundedHistory<CircuitBreaker.Event.StateTransition> history;
    private final long baseOpenNanos;
    private final long maxOpenNanos;
    private final long maxHalfOpenNanos;

    StateMachine(CircuitBreakerConfig config, Listeners<CircuitBreaker.Event> listeners, @Nullable LatencySamples latencies) {
        this.config = config;
        this.listeners = listeners;
        this.latencies = latencies;
        this.name = config.name();
        this.clock = config.clock();
        this.scheduler = config.scheduler();
        this.baseOpenNanos = config.recoveryTimeout().toNanos();
        this.maxOpenNanos = config.maxRecoveryTimeout().toNanos();
        this.maxHalfOpenNanos = config.maxHalfOpenDuration().toNanos();
        long now = clock.nanoTime();
        this.history = new BoundedHistory<>(config.historySize(), config.retentionPeriod().toNanos(),
                config.cleanupInterval().toNanos(), now);
        this.phase = new AtomicReference<>(newClosed(now, clock.wallMillis()));
    }

    Phase current() {
        return java.util.Objects.requireNonNull(phase.get());
    }

    /** The phase a call is admitted in, or null if it is refused (the refusal is counted). */
    @Nullable Phase admit() {
        Phase current = current();
        CircuitBreaker.State state = current.state;
        if (state == CircuitBreaker.State.CLOSED || state == CircuitBreaker.State.DISABLED || state == CircuitBreaker.State.METRICS_ONLY) {
            return current;
        }
        return admitSlow(current);
    }

    private @Nullable Phase admitSlow(Phase current) {
        while (true) {
            if (current instanceof Phase.Open open) {
                if (clock.nanoTime() - open.untilNanos < 0) {
                    return refuse(current);
                }
                toHalfOpen(open);
            } else if (current instanceof Phase.HalfOpen halfOpen) {
                if (expired(halfOpen)) {
                    reopen(halfOpen, CircuitBreaker.TransitionReason.HALF_OPEN_TIMEOUT); // the loop then sees the new phase
                } else if (halfOpen.tryAcquire()) {
                    return halfOpen;
                } else {
                    return refuse(current);
                }
            } else if (current.state == CircuitBreaker.State.FORCED_OPEN) {
                return refuse(current);
            } else {
                return current;
            }
            current = current();
        }
    }

    private @Nullable Phase refuse(Phase current) {
        rejected.increment();
        if (!listeners.isEmpty()) {
            listeners.publish(new CircuitBreaker.Event.CallRejected(name, current.state));
        }
        return null;
    }

    /** The exception for a refused call, describing the state now. */
    CircuitOpenException rejection() {
        Phase current = current();
        if (current instanceof Phase.Open open) {
            return new CircuitOpenException(name, CircuitBreaker.State.OPEN, open.untilWallMillis(), open.untilNanos, clock, 0);
        }
        int probes = current instanceof Phase.HalfOpen halfOpen ? halfOpen.maxProbes : 0;
        return new CircuitOpenException(name, current.state, -1L, 0L, null, probes);
    }

    /**
     * The state now: an expired open period becomes HALF_OPEN, and a half-open period that waited longer than
     * allowed for a verdict re-opens, here, even if no call arrives.
     */
    CircuitBreaker.State state() {
        Phase current = current();
        if (current instanceof Phase.Open open && clock.nanoTime() - open.untilNanos >= 0) {
            toHalfOpen(open);
            current = current();
        }
        if (current instanceof Phase.HalfOpen halfOpen && expired(halfOpen)) {
            reopen(halfOpen, CircuitBreaker.TransitionReason.HALF_OPEN_TIMEOUT);
            current = current();
        }
        return current.state;
    }

    /** True when a half-open period has waited longer than allowed for its verdict. */
    private boolean expired(Phase.HalfOpen halfOpen) {
        return maxHalfOpenNanos > 0 && clock.nanoTime() - halfOpen.enteredNanos >= maxHalfOpenNanos;
    }

    // ---- moves ----

    /** Opens a closed circuit on its current run of failures (kept for callers outside the recorder, e.g. stress tests). */
    void open(Phase.Closed from, CircuitBreaker.TransitionReason reason, WindowCounts counts) {
        open(from, reason, counts, from.consecutiveFailures());
    }

    /** Opens a closed circuit; {@code failures} is the count behind the verdict (the run, or the window's failures). */
    void open(Phase.Closed from, CircuitBreaker.TransitionReason reason, WindowCounts counts, int failures) {
        move(from, newOpen(0, from.window, failures), reason, counts, failures);
    }

    /** Re-opens a half-open circuit; a failed probe continues the run of failures unless a probe succeeded first. */
    void reopen(Phase.HalfOpen from, CircuitBreaker.TransitionReason reason) {
        int failures = reason != CircuitBreaker.TransitionReason.PROBE_FAILED ? 0
                : from.successes.get() == 0 ? from.failuresWhenOpened + 1 : 1;
        move(from, newOpen(from.reopens + 1, from.lastWindow, failures), reason, countsOf(from), failures);
    }

    void close(Phase.HalfOpen from) {
        long now = clock.nanoTime();
        move(from, newClosed(now, clock.wallMillis()), CircuitBreaker.TransitionReason.PROBES_SUCCEEDED, countsOf(from));
    }

    private void toHalfOpen(Phase.Open from) {
        Phase.HalfOpen next = new Phase.HalfOpen(clock.nanoTime(), clock.wallMillis(), from.reopens,
                config.halfOpenMaxProbes(), from.lastWindow, from.failuresWhenOpened);
        move(from, next, CircuitBreaker.TransitionReason.RECOVERY_TIMEOUT_ELAPSED, countsOf(from));
    }

    void trip() {
        while (true) {
            Phase current = current();
            int reopens = current instanceof Phase.HalfOpen ? current.reopens + 1 : current.reopens;
            int failures = current.consecutiveFailures();
            if (move(current, newOpen(reopens, current.window(), failures), CircuitBreaker.TransitionReason.MANUAL_TRIP,
                    countsOf(current), failures)) {
                return;
            }
        }
    }

    /** Opens, or keeps open, until at least {@code openNanos} from now, on another instance's verdict. */
    boolean adoptOpen(long openNanos) {
        while (true) {
            Phase current = current();
            long now = clock.nanoTime();
            if (current instanceof Phase.Open open) {
                if (open.untilNanos - (now + openNanos) >= 0) {
                    return false;
                }
            } else if (!(current instanceof Phase.Closed) && !(current instanceof Phase.HalfOpen)) {
                return false;
            }
            int failures = current.consecutiveFailures();
            Phase.Open next = new Phase.Open(now, clock.wallMillis(), current.reopens, openNanos, current.window(), failures);
            if (move(current, next, CircuitBreaker.TransitionReason.PEER_VERDICT, countsOf(current), failures)) {
                return true;
            }
        }
    }

    /** Closes an open or half-open circuit on another instance's verdict, keeping the re-open count for backoff. */
    boolean adoptClosed() {
        while (true) {
            Phase current = current();
            if (!(current instanceof Phase.Open) && !(current instanceof Phase.HalfOpen)) {
                return false;
            }
            if (move(current, newClosed(clock.nanoTime(), clock.wallMillis()), CircuitBreaker.TransitionReason.PEER_VERDICT,
                    countsOf(current))) {
                return true;
            }
        }
    }

    void reset() {
        while (true) {
            Phase current = current();
            if (move(current, newClosed(clock.nanoTime(), clock.wallMillis()), CircuitBreaker.TransitionReason.MANUAL_RESET, countsOf(current))) {
                return;
            }
        }
    }

    void hold(CircuitBreaker.State state, CircuitBreaker.TransitionReason reason) {
        while (true) {
            Phase current = current();
            if (current.state == state || move(current, held(state), reason, countsOf(current))) {
                return;
            }
        }
    }

    private Phase held(CircuitBreaker.State state) {
        long now = clock.nanoTime();
        return state == CircuitBreaker.State.METRICS_ONLY
                ? new Phase.MetricsOnly(OutcomeWindow.create(config, calls, now), now, clock.wallMillis())
                : new Phase.Held(state, now, clock.wallMillis());
    }

    private boolean move(Phase from, Phase to, CircuitBreaker.TransitionReason reason, WindowCounts counts) {
        return move(from, to, reason, counts, from.consecutiveFailures());
    }

    private boolean move(Phase from, Phase to, CircuitBreaker.TransitionReason reason, WindowCounts counts, int failures) {
        if (!phase.compareAndSet(from, to)) {
            return false;
        }
        if (from instanceof Phase.Open open && open.timer != null) {
            open.timer.cancel();
        } else if (from instanceof Phase.HalfOpen halfOpen && halfOpen.timer != null) {
            halfOpen.timer.cancel();
        }
        arm(to, 0L);
        double mean = latencies == null ? Double.NaN : latencies.meanAndStdDevMillis()[0];
        CircuitBreaker.Event.StateTransition event = new CircuitBreaker.Event.StateTransition(name, from.state, to.state,
                reason, failures, counts.successRatePercent(),
                Double.isNaN(mean) ? OptionalDouble.empty() : OptionalDouble.of(mean), to.enteredWallMillis);
        history.add(event, to.enteredNanos);
        if (LOG.isLoggable(Level.INFO)) {
            LOG.log(to.state.rejectsCalls() ? Level.WARNING : Level.INFO, event.toLogLine());
        }
        listeners.publish(event);
        return true;
    }

    /**
     * Starts in the state {@code from} (another breaker's phase, read at {@code fromNowNanos} on its clock). Called
     * before this breaker is shared: no race, no event. Returns how many carried outcomes failed.
     */
    int startFrom(Phase from, long fromNowNanos) {
        long now = clock.nanoTime();
        long elapsed = Math.max(0L, fromNowNanos - from.enteredNanos);
        Phase start;
        if (from instanceof Phase.Open open) {
            start = new Phase.Open(now - elapsed, from.enteredWallMillis, open.reopens, open.openNanos, open.lastWindow,
                    open.failuresWhenOpened);
        } else if (from instanceof Phase.HalfOpen halfOpen) {
            start = new Phase.HalfOpen(now - elapsed, from.enteredWallMillis, halfOpen.reopens, config.halfOpenMaxProbes(),
                    halfOpen.lastWindow, halfOpen.failuresWhenOpened);
        } else if (from instanceof Phase.Closed closed) {
            Phase.Closed fresh = (Phase.Closed) current();
            int failed = closed.window instanceof CountWindow old && fresh.window instanceof CountWindow carried
                    ? old.replayInto(carried) : 0;
            if (failed > 0) {
                fresh.consecutiveFailures.set(closed.consecutiveFailures.get());
            }
            return failed;
        } else {
            start = held(from.state);
        }
        phase.set(start);
        arm(start, elapsed);
        return 0;
    }

    /**
     * Schedules the end of an open or half-open period that began {@code elapsed} ago, if it has not ended. A period
     * already over (e.g. a zero open period) gets no timer: the next call or state query ends it, and a timer firing
     * inline would publish OPEN -> HALF_OPEN before CLOSED -> OPEN.
     */
    private void arm(Phase start, long elapsed) {
        if (scheduler == null) {
            return;
        }
        if (start instanceof Phase.Open open && open.openNanos - elapsed > 0) {
            open.timer = scheduler.schedule(Duration.ofNanos(open.openNanos - elapsed), () -> {
                if (phase.get() == open) {
                    toHalfOpen(open);
                }
            });
        } else if (start instanceof Phase.HalfOpen halfOpen && maxHalfOpenNanos > 0 && maxHalfOpenNanos - elapsed > 0) {
            halfOpen.timer = scheduler.schedule(Duration.ofNanos(maxHalfOpenNanos - elapsed), () -> {
                if (phase.get() == halfOpen) {
                    reopen(halfOpen, CircuitBreaker.TransitionReason.HALF_OPEN_TIMEOUT);
                }
            });
        }
    }

    // ---- phases ----

    Phase.Closed newClosed(long now, long wallMillis) {
        Phase.Closed closed = new Phase.Closed(OutcomeWindow.create(config, calls, now), now, wallMillis);
        // calls are timed on the coarse reading, which may lag this one: compare like with like
        closed.latestSuccessStartNanos = clock.coarseNanoTime();
        return closed;
    }

    private Phase.Open newOpen(int reopens, @Nullable OutcomeWindow window, int consecutiveFailures) {
        long openNanos = OpenBackoff.openNanos(baseOpenNanos, maxOpenNanos, config.backoffMultiplier(),
                config.exponentialBackoff(), reopens);
        return new Phase.Open(clock.nanoTime(), clock.wallMillis(), reopens, openNanos, window, consecutiveFailures);
    }

    WindowCounts countsOf(Phase phase) {
        OutcomeWindow window = phase.window();
        return window == null ? WindowCounts.EMPTY : window.observe(clock.nanoTime());
    }

    /** The open period of the current opening, or the one the next opening would use. */
    long nextOpenNanos() {
        Phase current = current();
        if (current instanceof Phase.Open open) {
            return open.openNanos;
        }
        int reopens = current instanceof Phase.HalfOpen ? current.reopens + 1 : 0;
        return OpenBackoff.openNanos(baseOpenNanos, maxOpenNanos, config.backoffMultiplier(), config.exponentialBackoff(), reopens);
    }

    int cleanup() {
        return history.expire(clock.nanoTime());
    }

    List<CircuitBreaker.Event.StateTransition> history() {
        return history.snapshot(clock.nanoTime());
    }
}
