package dev.bulwark.server;

import dev.bulwark.server.events.GatewayEvent;
import dev.bulwark.server.events.GatewayEventListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@code type: custom} event handler for tests: keeps every event it receives, in one list shared by instances. */
public final class RecordingListener implements GatewayEventListener {
    static final List<GatewayEvent> EVENTS = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(GatewayEvent event) {
        EVENTS.add(event);
    }
}
