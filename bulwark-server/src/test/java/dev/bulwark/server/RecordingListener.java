package dev.bulwark.server;

import dev.bulwark.server.events.GatewayEvent;
import dev.bulwark.server.events.GatewayEventListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@code type: custom} event handler for tests: keeps every event it receives, in one list shared by instances. */
public final class RecordingListener implements GatewayEventListener {
    static final List<GatewayEvent> EVENTS = new CopyOnWriteArrayList<>();
    private static final java.util.concurrent.Semaphore ARRIVED = new java.util.concurrent.Semaphore(0);

    @Override
    public void onEvent(GatewayEvent event) {
        EVENTS.add(event);
        ARRIVED.release();
    }

    /** Forgets every event. */
    static void clear() {
        EVENTS.clear();
        ARRIVED.drainPermits();
    }

    /** Waits, each event at most 10 s, until an event matching {@code wanted} has arrived, and returns it. */
    static GatewayEvent await(java.util.function.Predicate<GatewayEvent> wanted) throws InterruptedException {
        while (true) {
            for (GatewayEvent event : EVENTS) {
                if (wanted.test(event)) {
                    return event;
                }
            }
            if (!ARRIVED.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError("no matching event arrived; received: " + EVENTS);
            }
        }
    }
}
