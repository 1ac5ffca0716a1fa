package dev.bulwark.event;

/**
 * Receives a component's events.
 *
 * <p>Contract: listeners are called synchronously on the thread that caused the event, often in the
 * middle of a protected call, so they must be fast and must not call back into the component that
 * raised the event. A listener that throws is logged and counted, and never affects the call.
 *
 * @param <E> the event type
 */
@FunctionalInterface
public interface EventListener<E> {

    /** Handles one event. */
    void onEvent(E event);
}
