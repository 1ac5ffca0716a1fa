package dev.bulwark.server;

import dev.bulwark.health.HealthMonitor;
import dev.bulwark.server.events.GatewayEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the dashboard shows, built from the gateway's own JSON views ({@code /health/adapters/{name}/stats},
 * {@code /mode}, {@code /failover/{group}}, {@code /resources}, {@code /health/system}'s checks, {@code /audit}) plus
 * what only the dashboard keeps: the samples per adapter ({@link DashboardSamples}), the recent gateway events and the
 * fallback outcomes counted since start. This class is thread-safe.
 */
final class DashboardView implements DashboardStream.Content {
    static final int RECENT_EVENTS = 40;
    static final int RECENT_AUDIT = 20;

    private final Gateway gateway;
    private final DashboardSamples samples;
    private final MeterRegistry meters;
    private final java.util.function.IntSupplier openStreams;
    private final Deque<Map<String, Object>> events = new ArrayDeque<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();

    DashboardView(Gateway gateway, DashboardSamples samples, MeterRegistry meters, java.util.function.IntSupplier openStreams) {
        this.gateway = gateway;
        this.openStreams = openStreams;
        this.samples = samples;
        this.meters = meters;
    }

    /** Keeps {@code event} among the recent ones; counts a query's fallback outcome. */
    void onEvent(GatewayEvent event) {
        if (event instanceof GatewayEvent.FallbackOutcome outcome) {
            outcomes.computeIfAbsent(outcome.servedBy(), key -> new LongAdder()).increment();
        }
        synchronized (events) {
            events.addFirst(event.toJson());
            while (events.size() > RECENT_EVENTS) {
                events.removeLast();
            }
        }
    }

    @Override
    public String history() {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> series = new LinkedHashMap<>();
        samples.history(gateway.breakers()).forEach((adapter, list) -> series.put(adapter, list.stream()
                .map(DashboardView::sample).toList()));
        out.put("samples", series);
        return write(out);
    }

    @Override
    public String sample() {
        Map<String, Object> out = new LinkedHashMap<>();
        samples.sample(gateway.wallMillis(), gateway.breakers()).forEach((adapter, one) -> out.put(adapter, sample(one)));
        return write(Map.of("samples", out));
    }

    @Override
    public String snapshot() {
        return write(snapshotView());
    }

    Map<String, Object> snapshotView() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("at", Instant.ofEpochMilli(gateway.wallMillis()).toString());
        out.put("adapters", gateway.breakers().values().stream().map(breaker -> {
            Map<String, Object> one = Views.stats(breaker);
            List<?> transitions = (List<?>) java.util.Objects.requireNonNull(one.get("transitions"), "transitions");
            one.put("transitions", transitions.subList(Math.max(0, transitions.size() - 5), transitions.size()));
            return one;
        }).toList());
        out.put("mode", ModeRoutes.view(gateway.modes(), gateway.modeSettings()));
        HealthMonitor.Report report = gateway.health().report();
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", report.status().name());
        Map<String, Object> checks = new LinkedHashMap<>();
        report.checks().forEach((name, result) -> checks.put(name, Map.of("status", result.status().name(),
                "message", result.message())));
        health.put("checks", checks);
        out.put("health", health);
        List<Map<String, Object>> groups = new ArrayList<>();
        for (String name : gateway.failovers().names()) {
            FailoverService.Managed managed = gateway.failovers().group(name);
            if (managed != null) {
                Map<String, Object> status = gateway.failovers().status(managed);
                status.putIfAbsent("group", name);
                groups.add(status);
            }
        }
        out.put("failover", groups);
        out.put("fallbacks", fallbacks());
        QuotaGate quotas = gateway.quotas();
        out.put("quotas", quotas == null ? null : quotas.view());
        out.put("queues", gateway.deferred().waiting());
        synchronized (events) {
            out.put("events", List.copyOf(events));
        }
        out.put("audit", AdminRoutes.entries(gateway.audit().recent(RECENT_AUDIT)));
        out.put("audit_durable", gateway.audit().durable());
        out.put("streams", openStreams.getAsInt());
        return out;
    }

    /** Queries answered by a fallback since start: cached, switched, degraded, queued, shed, and failed outright. */
    private Map<String, Long> fallbacks() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("cached", count("cache"));
        out.put("switched", served("switch_provider"));
        out.put("degraded", served("degrade"));
        out.put("queued", count("queue_for_later"));
        out.put("shed", count("load_shed"));
        out.put("failed", count("none"));
        return out;
    }

    private long count(String servedBy) {
        LongAdder adder = outcomes.get(servedBy);
        return adder == null ? 0 : adder.sum();
    }

    private long served(String path) {
        return (long) meters.find("bulwark.adapter.served").tag("path", path).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private static List<Object> sample(DashboardSamples.Sample one) {
        List<Object> row = new ArrayList<>();
        row.add(one.atMillis() / 1000.0);
        row.add(one.state());
        row.add(one.healthScore());
        row.add(one.errorRate());
        row.add(one.p50());
        row.add(one.p95());
        row.add(one.p99());
        row.add(one.calls());
        return row;
    }

    private static String write(Object value) {
        try {
            return Views.mapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException unserializable) {
            throw new IllegalStateException(unserializable);
        }
    }
}
