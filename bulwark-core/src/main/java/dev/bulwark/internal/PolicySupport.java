package dev.bulwark.internal;

import dev.bulwark.event.EventSource;
import dev.bulwark.internal.listeners.Listeners;
import dev.bulwark.time.Clock;
import java.util.function.Consumer;

/**
 * What every policy implementation shares: its name, its clock, and its listeners. Events are built only
 * when someone listens: pass a lambda-free event or check {@link #hasListeners()} first.
 */
public abstract class PolicySupport<E> implements EventSource<E> {
    private final String name;
    private final Clock clock;
    private final Listeners<E> listeners;

    /** A policy described as {@code kindLabel 'name'} in log messages. */
    protected PolicySupport(String kindLabel, String name, Clock clock) {
        this.name = name;
        this.clock = clock;
        this.listeners = new Listeners<>(kindLabel + " '" + name + "'");
    }

    /** The policy's name. */
    public final String name() {
        return name;
    }

    /** The policy's clock. */
    public final Clock clock() {
        return clock;
    }

    /** True when someone listens, so an event is worth building. */
    protected final boolean hasListeners() {
        return !listeners.isEmpty();
    }

    /** Delivers an event to the listeners, if any. */
    protected final void publish(E event) {
        if (!listeners.isEmpty()) {
            listeners.publish(event);
        }
    }

    @Override
    public final EventSource.Subscription subscribe(Consumer<? super E> listener) {
        return listeners.add(listener)::run;
    }

    @Override
    public final long listenerFailures() {
        return listeners.failures();
    }
}
