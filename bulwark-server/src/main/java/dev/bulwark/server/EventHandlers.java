package dev.bulwark.server;

import dev.bulwark.server.events.GatewayEvent;
import dev.bulwark.server.events.GatewayEventListener;
import dev.bulwark.time.Scheduler;
import dev.bulwark.yaml.EventHandlerConfig;
import dev.bulwark.yaml.GatewayConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's event handlers, as {@code fault_tolerance.event_handler} and each adapter's own describe them: every
 * event goes to the global handler, except an adapter's circuit transitions, which go to that adapter's handler when
 * it has one. Handlers with equal settings are one instance (so two adapters logging to one file share its writer),
 * kept across reloads that leave them unchanged; a handler a reload drops is closed. A throwing handler is logged and
 * counted, never allowed to disturb the call that raised the event. This class is thread-safe.
 */
final class EventHandlers implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventHandlers.class.getName());

    /** One running handler and its counts. */
    private record Handler(EventHandlerConfig config, GatewayEventListener listener, EventHandlerCounts counts) {
        void accept(GatewayEvent event) {
            try {
                listener.onEvent(event);
                if (!(listener instanceof WebhookEventSink)) {
                    counts.delivered();
                }
            } catch (RuntimeException failed) {
                counts.failed();
                LOG.log(System.Logger.Level.WARNING, "event handler " + label(config) + " failed on a "
                        + event.type() + " event: " + Views.describe(failed));
            }
        }
    }

    private final HttpClient client;
    private final Scheduler scheduler;
    private final MeterRegistry meters;
    private Map<EventHandlerConfig, Handler> live = Map.of();
    private volatile @Nullable Handler global;
    private volatile Map<String, Handler> perAdapter = Map.of();
    private final List<java.util.function.Consumer<GatewayEvent>> taps = new java.util.concurrent.CopyOnWriteArrayList<>();

    EventHandlers(HttpClient client, Scheduler scheduler, MeterRegistry meters) {
        this.client = client;
        this.scheduler = scheduler;
        this.meters = meters;
    }

    /**
     * Takes the handlers {@code config} names: unchanged ones are kept, new ones made, dropped ones closed.
     *
     * @throws IllegalArgumentException naming the handler when one cannot be made (a custom class missing or not a
     *         {@link GatewayEventListener}, a log file that cannot be written); the handlers running stay as they were
     */
    synchronized void configure(GatewayConfig config) {
        Map<EventHandlerConfig, Handler> next = new HashMap<>();
        Map<String, Handler> adapters = new LinkedHashMap<>();
        Handler newGlobal;
        try {
            newGlobal = config.eventHandler() == null ? null : obtain(config.eventHandler(), next);
            for (GatewayConfig.Adapter adapter : config.adapters()) {
                if (adapter.eventHandler() != null) {
                    adapters.put(adapter.name(), obtain(adapter.eventHandler(), next));
                }
            }
        } catch (RuntimeException unusable) {
            next.forEach((settings, handler) -> {
                if (!live.containsKey(settings)) {
                    close(handler);
                }
            });
            throw unusable;
        }
        live.forEach((settings, handler) -> {
            if (!next.containsKey(settings)) {
                close(handler);
            }
        });
        live = next;
        global = newGlobal;
        perAdapter = Map.copyOf(adapters);
    }

    private Handler obtain(EventHandlerConfig settings, Map<EventHandlerConfig, Handler> next) {
        Handler existing = next.get(settings);
        if (existing == null) {
            existing = live.containsKey(settings) ? live.get(settings) : create(settings);
            next.put(settings, existing);
        }
        return existing;
    }

    private Handler create(EventHandlerConfig settings) {
        EventHandlerCounts counts = new EventHandlerCounts(label(settings), settings.type(), meters);
        try {
            GatewayEventListener listener;
            if (settings instanceof EventHandlerConfig.FileLog file) {
                listener = new JsonLinesEventLog(file);
            } else if (settings instanceof EventHandlerConfig.Webhook webhook) {
                listener = new WebhookEventSink(webhook, client, scheduler, counts);
            } else {
                listener = instantiate(((EventHandlerConfig.Custom) settings).className());
            }
            return new Handler(settings, listener, counts);
        } catch (RuntimeException unusable) {
            counts.close();
            throw unusable;
        }
    }

    /** An instance of a {@code custom} handler's class, by its public no-argument constructor. */
    static GatewayEventListener instantiate(String className) {
        Class<?> type;
        try {
            type = Class.forName(className, true, EventHandlers.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError missing) {
            throw new IllegalArgumentException("event_handler.class '" + className + "' is not on the class path", missing);
        }
        if (!GatewayEventListener.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("event_handler.class '" + className + "' does not implement "
                    + GatewayEventListener.class.getName());
        }
        try {
            return (GatewayEventListener) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException unusable) {
            throw new IllegalArgumentException("event_handler.class '" + className + "' needs a public no-argument "
                    + "constructor that succeeds: " + Views.describe(unusable), unusable);
        }
    }

    static String label(EventHandlerConfig settings) {
        if (settings instanceof EventHandlerConfig.FileLog file) {
            return "default:" + file.file();
        }
        if (settings instanceof EventHandlerConfig.Webhook webhook) {
            return "monitoring:" + webhook.url();
        }
        return "custom:" + ((EventHandlerConfig.Custom) settings).className();
    }

    /** Also shows every event, whichever handler gets it, to {@code tap} (which must be fast and not throw). */
    void tap(java.util.function.Consumer<GatewayEvent> tap) {
        taps.add(tap);
    }

    /** Sends a gateway-wide event to the global handler. */
    void publish(GatewayEvent event) {
        taps.forEach(tap -> tap.accept(event));
        Handler handler = global;
        if (handler != null) {
            handler.accept(event);
        }
    }

    /** Sends a circuit transition to its adapter's handler, or to the global one. */
    void circuit(GatewayEvent.CircuitTransition event) {
        taps.forEach(tap -> tap.accept(event));
        Handler own = perAdapter.get(event.adapter());
        Handler handler = own != null ? own : global;
        if (handler != null) {
            handler.accept(event);
        }
    }

    /** The handlers and what they did with their events, for {@code GET /health/events}. */
    synchronized Map<String, Object> view() {
        Map<String, Object> out = new LinkedHashMap<>();
        Handler handler = global;
        out.put("global", handler == null ? null : label(handler.config()));
        Map<String, String> adapters = new LinkedHashMap<>();
        perAdapter.forEach((adapter, own) -> adapters.put(adapter, label(own.config())));
        out.put("adapters", adapters);
        List<Map<String, Object>> handlers = new ArrayList<>();
        live.values().forEach(one -> handlers.add(one.counts().view()));
        out.put("handlers", handlers);
        return out;
    }

    /** The running webhook sink with these settings' label, for tests that wait for its deliveries. */
    synchronized Optional<WebhookEventSink> webhook(String label) {
        return live.values().stream().filter(one -> label(one.config()).equals(label))
                .map(Handler::listener).filter(WebhookEventSink.class::isInstance).map(WebhookEventSink.class::cast).findFirst();
    }

    private static void close(Handler handler) {
        try {
            handler.listener().close();
        } catch (RuntimeException failed) {
            LOG.log(System.Logger.Level.WARNING, "event handler " + label(handler.config()) + " failed to close: "
                    + Views.describe(failed));
        } finally {
            handler.counts().close();
        }
    }

    @Override
    public synchronized void close() {
        live.values().forEach(EventHandlers::close);
        live = Map.of();
        global = null;
        perAdapter = Map.of();
    }
}
