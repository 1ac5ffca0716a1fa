package dev.bulwark.event;

/**
 * A component that publishes typed events.
 *
 * @param <E> the component's event type, a sealed interface of records callers can {@code switch} over
 */
public interface EventSource<E> {

    /** Registers {@code listener} for every event of this component. */
    Subscription subscribe(EventListener<? super E> listener);

    /** How many times a listener of this component has thrown (each was logged and isolated). */
    long listenerFailures();
}
