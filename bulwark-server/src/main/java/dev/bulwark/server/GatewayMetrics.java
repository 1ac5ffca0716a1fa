package dev.bulwark.server;

import dev.bulwark.event.Registry;
import dev.bulwark.micrometer.BulwarkMetrics;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;

/**
 * What {@code /metrics} serves, in Prometheus text: every registered Bulwark component ({@link BulwarkMetrics}), JVM
 * and process meters (memory, GC, threads, classes, CPU, uptime, open file descriptors), Jetty's thread pool,
 * {@code http_server_requests_seconds} per method, route pattern and status, and
 * {@code bulwark_adapter_request_seconds} per adapter and outcome (one per HTTP exchange with a backend, retries and
 * hedges included). Both timers publish histogram buckets at fixed boundaries from 5 ms to 30 s, and their labels
 * come from bounded sets (route patterns, not paths; configured adapter names), so the series stay few.
 * This class is thread-safe.
 */
final class GatewayMetrics implements AutoCloseable {
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<RequestKey, Timer> requestTimers = new ConcurrentHashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final BulwarkMetrics components;

    GatewayMetrics(Registry bulwark) {
        // counted in nanoseconds, which Prometheus names must not abbreviate; process_cpu_usage says the same
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        // a gauge ending in _count reads as a histogram's count to Prometheus tools
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        components = new BulwarkMetrics(bulwark);
        components.bindTo(registry);
    }

    /** The registry, for meters of the gateway's own parts. */
    MeterRegistry registry() {
        return registry;
    }

    /** Binds the HTTP server's thread pool. */
    void bindServer(Server server) {
        new JettyServerThreadPoolMetrics(server.getThreadPool(), java.util.List.of()).bindTo(registry);
    }

    /** Prometheus text. */
    String scrape() {
        return registry.scrape();
    }

    /** Records one answered HTTP request (a Javalin request logger). */
    void recordRequest(Context ctx, Float millis) {
        RequestKey key = new RequestKey(ctx.method().name(), route(ctx), ctx.statusCode());
        Timer timer = requestTimers.get(key);
        if (timer == null) { // building and registering a timer per request cost more than the request's own work
            timer = requestTimers.computeIfAbsent(key, known -> Timer.builder("http.server.requests")
                    .description("HTTP requests the gateway answered")
                    .tags("method", known.method(), "route", known.route(), "status", Integer.toString(known.status()))
                    .serviceLevelObjectives(BUCKETS).register(registry));
        }
        timer.record(Math.round(millis * 1_000_000.0), TimeUnit.NANOSECONDS);
    }

    /** The tags of one {@code http.server.requests} timer: a matched route pattern, never a raw path, so few keys. */
    private record RequestKey(String method, String route, int status) {
    }

    /** The matched route pattern ({@code /health/adapters/{name}/stats}), or {@code unmatched}: never a raw path. */
    private static String route(Context ctx) {
        try {
            String path = ctx.endpoint().path;
            return path == null || path.isEmpty() || path.equals("*") ? "unmatched" : path;
        } catch (RuntimeException noEndpoint) {
            return "unmatched";
        }
    }

    /** The timer of one adapter's exchanges ending in {@code outcome} (success, failure, cancelled). */
    static Timer adapterTimer(MeterRegistry registry, String adapter, String outcome) {
        return Timer.builder("bulwark.adapter.request").description("HTTP exchanges with a backend, by how they ended")
                .tags("adapter", adapter, "outcome", outcome.toLowerCase(Locale.ROOT))
                .serviceLevelObjectives(BUCKETS).register(registry);
    }

    /** The counter of one adapter's successful exchanges served by {@code path} (primary, switch_provider, degrade). */
    static io.micrometer.core.instrument.Counter servedCounter(MeterRegistry registry, String adapter, String path) {
        return io.micrometer.core.instrument.Counter.builder("bulwark.adapter.served")
                .description("Successful exchanges with a backend, by the path that answered: primary, switch_provider "
                        + "(the fallback's alternative) or degrade (the degraded request)")
                .tags("adapter", adapter, "path", path).register(registry);
    }

    /** Stops listening to GC notifications and to the component registry. */
    @Override
    public void close() {
        gc.close();
        components.close();
    }
}
