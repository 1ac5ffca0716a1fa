package dev.bulwark.internal.listeners;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A component's listeners. Publishing reads one array and allocates nothing; callers check
 * {@link #isEmpty()} before building an event so that a component nobody listens to pays nothing.
 * A listener that throws (anything but a {@link VirtualMachineError}, even a checked exception thrown sneakily)
 * is logged through {@link System.Logger} and counted, never rethrown, so it can never strand a caller.
 */
public final class Listeners<E> {

    private static final System.Logger LOG = System.getLogger("dev.bulwark.event");
    @SuppressWarnings("rawtypes")
    private static final Consumer[] NONE = new Consumer[0];

    private final String owner;
    @SuppressWarnings("unchecked")
    private final AtomicReference<Consumer<? super E>[]> listeners = new AtomicReference<>(NONE);
    private final LongAdder failures = new LongAdder();

    /** Listeners of the component described by {@code owner} (used in log messages). */
    public Listeners(String owner) {
        this.owner = owner;
    }

    /** Adds a listener; running the returned action removes it (running it again does nothing). */
    public Runnable add(Consumer<? super E> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.updateAndGet(current -> {
            Consumer<? super E>[] grown = Arrays.copyOf(current, current.length + 1);
            grown[current.length] = listener;
            return grown;
        });
        return () -> remove(listener);
    }

    private void remove(Consumer<? super E> listener) {
        listeners.updateAndGet(current -> {
            for (int i = 0; i < current.length; i++) {
                if (current[i] == listener) {
                    Consumer<? super E>[] shrunk = Arrays.copyOf(current, current.length - 1);
                    System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
                    return shrunk;
                }
            }
            return current;
        });
    }

    /** True when nobody listens, so the caller can skip building the event. */
    public boolean isEmpty() {
        return Objects.requireNonNull(listeners.get()).length == 0;
    }

    /** Delivers {@code event} to every listener, isolating failures. */
    public void publish(E event) {
        for (Consumer<? super E> listener : java.util.Objects.requireNonNull(listeners.get())) {
            try {
                listener.accept(event);
            } catch (Throwable failure) { // a checked exception thrown sneakily must not escape either
                if (failure instanceof VirtualMachineError) {
                    throw failure;
                }
                failures.increment();
                LOG.log(Level.WARNING, () -> "listener " + listener + " of " + owner + " threw on " + event, failure);
            }
        }
    }

    /** How many times a listener threw. */
    public long failures() {
        return failures.sum();
    }
}
