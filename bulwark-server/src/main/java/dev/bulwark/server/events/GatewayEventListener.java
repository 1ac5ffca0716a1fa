package dev.bulwark.server.events;

/**
 * What an {@code event_handler} of {@code type: custom} implements: the gateway makes one instance with the class's
 * public no-argument constructor at start (and again when a reload names another class) and calls
 * {@link #onEvent} for every event routed to it.
 *
 * <p>Contract: {@code onEvent} runs on the thread where the event happened, often a call in flight, so it must be
 * fast and must not block (hand slow work to a queue of your own); it may be called from several threads at once.
 * A throwing listener is logged and counted ({@code bulwark_event_handler_events_total{result="failed"}}), never
 * allowed to disturb the call. {@link #close()} is called once when the gateway stops or a reload drops the handler.
 */
public interface GatewayEventListener extends AutoCloseable {

    /** Receives one event. */
    void onEvent(GatewayEvent event);

    /** Releases what the listener holds; does nothing by default. */
    @Override
    default void close() {
    }
}
