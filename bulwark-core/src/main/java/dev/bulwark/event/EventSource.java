package dev.bulwark.event;

import java.util.function.Consumer;

/**
 * A component that publishes typed events to listeners.
 *
 * <p>Contract for listeners: they are called synchronously on the thread that caused the event, often in the middle
 * of a protected call, so they must be fast and must not call back into the component that raised the event. A
 * listener that throws is logged (through {@link System.Logger} {@code dev.bulwark.event}) and counted in
 * {@link #listenerFailures()}, and never affects the call or the other listeners. Implementations are thread-safe.
 *
 * @param <E> the component's event type, a sealed interface of records callers can {@code switch} over
 */
public interface EventSource<E> {

    /** Registers {@code listener} for every event of this component, under the contract above. */
    Subscription subscribe(Consumer<? super E> listener);

    /** How many times a listener of this component has thrown (each was logged and isolated). */
    long listenerFailures();

    /** A registered listener; {@link #cancel()} removes it. Cancelling twice does nothing. */
    @FunctionalInterface
    interface Subscription extends AutoCloseable {

        /** Removes the listener. */
        void cancel();

        /** Same as {@link #cancel()}, for try-with-resources. */
        @Override
        default void close() {
            cancel();
        }
    }
}
