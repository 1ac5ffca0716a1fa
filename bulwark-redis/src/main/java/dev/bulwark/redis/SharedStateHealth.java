package dev.bulwark.redis;

import dev.bulwark.event.EventSource;
import dev.bulwark.time.Clock;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Whether a component's shared state on Redis is in use ({@link State#HEALTHY}) or the component is deciding on local
 * state alone because Redis failed ({@link State#DEGRADED}); health endpoints and metrics read it, listeners hear each
 * change. A component turns DEGRADED on the first failed exchange with Redis and HEALTHY again on the first successful
 * one (its resynchronisation), so {@link #lastResyncNanos()} is the time from the outage being noticed to the state
 * being shared again. Every component of this module reports through one of these: the shared breakers, the cluster
 * limiters, the retry budget and the stream queue. This class is thread-safe; listeners run on the thread that noticed
 * the change and must be fast.
 */
public final class SharedStateHealth {
    private static final System.Logger LOG = System.getLogger(SharedStateHealth.class.getName());

    /** The two states. */
    public enum State {
        /** Decisions use the state shared on Redis. */
        HEALTHY,
        /** Redis failed: decisions use local state only, until the next successful exchange. */
        DEGRADED
    }

    /**
     * A change of state.
     *
     * @param component the component's name
     * @param state the new state
     * @param cause why the component turned DEGRADED (the Redis failure's message), empty when it turned HEALTHY
     * @param degradedNanos for a change to HEALTHY, how long the component was DEGRADED; 0 otherwise
     */
    public record Change(String component, State state, String cause, long degradedNanos) {
    }

    private final String component;
    private final Clock clock;
    private final AtomicBoolean degraded = new AtomicBoolean();
    private final AtomicLong degradedSince = new AtomicLong();
    private final AtomicLong degradedSpells = new AtomicLong();
    private final AtomicLong lastResyncNanos = new AtomicLong(-1);
    private final AtomicLong failures = new AtomicLong();
    private volatile String lastCause = "";
    private final AtomicLong listenerFailures = new AtomicLong();
    private final List<Consumer<? super Change>> listeners = new CopyOnWriteArrayList<>();

    SharedStateHealth(String component, Clock clock) {
        this(component, clock, State.HEALTHY, "");
    }

    /** A component that starts in {@code initial}, e.g. DEGRADED until its first connection is made. */
    SharedStateHealth(String component, Clock clock, State initial, String cause) {
        this.component = component;
        this.clock = clock;
        if (initial == State.DEGRADED) {
            degraded.set(true);
            degradedSince.set(clock.nanoTime());
            lastCause = cause;
        }
    }

    /** Exchanges with Redis that failed or timed out so far (each one, not only those that turned it DEGRADED). */
    public long failures() {
        return failures.get();
    }

    /** Why the component last turned or stayed DEGRADED; empty when it never did. */
    public String lastCause() {
        return lastCause;
    }

    /** The current state. */
    public State state() {
        return degraded.get() ? State.DEGRADED : State.HEALTHY;
    }

    /** True while decisions use local state only. */
    public boolean degraded() {
        return degraded.get();
    }

    /** How many times the component turned DEGRADED so far. */
    public long degradedSpells() {
        return degradedSpells.get();
    }

    /** How long the last DEGRADED spell lasted until resynchronisation, in nanoseconds; -1 if there was none. */
    public long lastResyncNanos() {
        return lastResyncNanos.get();
    }

    /** Listener calls that threw (each is logged). */
    public long listenerFailures() {
        return listenerFailures.get();
    }

    /** Calls {@code listener} on every change from now on, until the returned subscription is cancelled. */
    public EventSource.Subscription subscribe(Consumer<? super Change> listener) {
        Consumer<? super Change> added = Objects.requireNonNull(listener, "listener");
        listeners.add(added);
        return () -> listeners.remove(added);
    }

    void failed(Throwable cause) {
        failures.incrementAndGet();
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        lastCause = why;
        if (degraded.compareAndSet(false, true)) {
            degradedSince.set(clock.nanoTime());
            degradedSpells.incrementAndGet();
            LOG.log(Level.WARNING, () -> component + ": Redis failed (" + why + "); deciding on local state");
            publish(new Change(component, State.DEGRADED, why, 0));
        }
    }

    void succeeded() {
        if (degraded.get() && degraded.compareAndSet(true, false)) {
            long spell = clock.nanoTime() - degradedSince.get();
            lastResyncNanos.set(spell);
            LOG.log(Level.INFO, () -> component + ": Redis is back; shared state resynchronised");
            publish(new Change(component, State.HEALTHY, "", spell));
        }
    }

    private void publish(Change change) {
        for (Consumer<? super Change> listener : listeners) {
            try {
                listener.accept(change);
            } catch (RuntimeException e) {
                listenerFailures.incrementAndGet();
                LOG.log(Level.WARNING, "health listener of " + component + " threw", e);
            }
        }
    }
}
