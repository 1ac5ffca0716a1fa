package dev.bulwark.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one event handler did with its events: {@code delivered} (written or sent), {@code failed} (a write or a
 * listener threw, or a webhook ran out of retries), {@code dropped} (the webhook's queue was full) and
 * {@code retried} (webhook attempts that failed and were tried again). Published as
 * {@code bulwark_event_handler_events_total{handler, type, result}} and shown at {@code GET /health/events}.
 * This class is thread-safe.
 */
final class EventHandlerCounts implements AutoCloseable {
    private final String handler;
    private final String type;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final MeterRegistry meters;
    private final List<Meter> published = new ArrayList<>();

    EventHandlerCounts(String handler, String type, MeterRegistry meters) {
        this.handler = handler;
        this.type = type;
        this.meters = meters;
        publish("delivered", delivered);
        publish("failed", failed);
        publish("dropped", dropped);
        publish("retried", retried);
    }

    private void publish(String result, AtomicLong count) {
        published.add(FunctionCounter.builder("bulwark.event.handler.events", count, AtomicLong::doubleValue)
                .description("Events the gateway's event handlers received, by what became of them")
                .tags("handler", handler, "type", type, "result", result).register(meters));
    }

    void delivered() {
        delivered.incrementAndGet();
    }

    void failed() {
        failed.incrementAndGet();
    }

    void dropped() {
        dropped.incrementAndGet();
    }

    void retried() {
        retried.incrementAndGet();
    }

    Map<String, Object> view() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("handler", handler);
        out.put("type", type);
        out.put("delivered", delivered.get());
        out.put("failed", failed.get());
        out.put("dropped", dropped.get());
        out.put("retried", retried.get());
        return out;
    }

    @Override
    public void close() {
        published.forEach(meters::remove);
    }
}
