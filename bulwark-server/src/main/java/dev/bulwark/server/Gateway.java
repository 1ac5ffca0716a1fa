package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitState;
import dev.bulwark.circuit.CircuitStats;
import dev.bulwark.event.Registry;
import dev.bulwark.fanout.AdapterResult;
import dev.bulwark.fanout.FanOut;
import dev.bulwark.fanout.FanOutResult;
import dev.bulwark.fanout.RequestOptions;
import dev.bulwark.fanout.Strategy;
import dev.bulwark.fallback.ResultCache;
import dev.bulwark.micrometer.BulwarkMetrics;
import dev.bulwark.mode.Mode;
import dev.bulwark.mode.ModeOrchestrator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.bulwark.retry.Backoff;
import dev.bulwark.retry.Retry;
import dev.bulwark.timeout.Timeout;
import dev.bulwark.yaml.GatewayConfig;
import dev.bulwark.yaml.GatewayConfigLoader;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The gateway: {@code POST /query} fans a query out to the configured HTTP adapters, each behind its circuit
 * breaker (from the configuration), its operation timeout and one retry, and
 * returns every adapter's result; the health endpoints show and reset the breakers. Bad requests get a 400
 * with a JSON body naming the field.
 */
public final class Gateway implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Registry registry = new Registry();
    // HTTP/1.1: the default (HTTP/2) tries an h2c upgrade on every new plain-text connection. The client's own work
    // (parsing, reading bodies as strings) never blocks, so it runs on its selector thread: handing each step to a
    // pool cost half the gateway's throughput. Our callbacks still leave that thread: sendAsync completes its
    // future on CompletableFuture's default executor (see CommonPool).
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).executor(Runnable::run).build();
    private volatile Map<String, CircuitBreaker> breakers = Map.of();
    private volatile FanOut<String, String> fanOut;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ResultCache<String, List<String>> answers = new ResultCache<>(10_000, Duration.ofMinutes(5),
            Duration.ofHours(24), dev.bulwark.time.Clock.system());
    private final ModeOrchestrator modes;
    private final String adminToken;
    private final Javalin app;

    private Gateway(GatewayConfig settings, int port, String adminToken, ModeOrchestrator orchestrator) {
        this.adminToken = adminToken;
        if (!CommonPool.isParallel()) {
            System.getLogger(Gateway.class.getName()).log(System.Logger.Level.WARNING,
                    "the common ForkJoinPool has one worker, so each backend response starts a thread; run with -D"
                            + CommonPool.PARALLELISM + "=2 (GatewayMain does this for you)");
        }
        install(settings);
        modes = registry.register(orchestrator);
        modes.feedFrom(registry);
        modes.start();
        new BulwarkMetrics(registry).bindTo(metrics);
        app = Javalin.create(config -> {
            config.http.maxRequestSize = 64 * 1024L;
            config.routes.get("/health/adapters/memory-usage", this::memoryUsage);
            config.routes.post("/health/adapters/cleanup", ctx -> authorized(ctx, () -> {
                int removed = breakers.values().stream().mapToInt(CircuitBreaker::cleanup).sum();
                json(ctx, 200, Map.of("removed_records", removed));
            }));
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
            config.routes.post("/query", this::query);
            config.routes.get("/health/system", this::system);
            config.routes.get("/health/adapters", ctx -> json(ctx, 200, breakers.values().stream().map(Gateway::summary).toList()));
            config.routes.get("/health/adapters/{name}", ctx -> withBreaker(ctx, breaker -> json(ctx, 200, summary(breaker))));
            config.routes.get("/health/adapters/{name}/stats", ctx -> withBreaker(ctx, breaker -> json(ctx, 200, stats(breaker))));
            config.routes.post("/health/adapters/{name}/reset", ctx -> authorized(ctx, () -> withBreaker(ctx, breaker -> {
                breaker.reset();
                json(ctx, 200, summary(breaker));
            })));
        }).start("127.0.0.1", port);
    }

    /**
     * Applies a new configuration while running (hot reload): adapters that kept their breaker settings keep
     * their breaker and its state; the others get new policies; removed adapters leave the registry. The new
     * fan-out takes over at once and the old one drains its in-flight calls.
     */
    public void reload(GatewayConfig settings) {
        FanOut<String, String> previous = fanOut;
        install(settings);
        if (previous != null && previous != fanOut) {
            previous.shutdown();
        }
    }

    private synchronized void install(GatewayConfig settings) {
        FanOut.Builder<String, String> builder = FanOut.<String, String>builder("gateway")
                .strategy(settings.execution().strategy()).timeout(settings.execution().timeout())
                .maxConcurrentAdapters(settings.execution().maxConcurrentAdapters())
                .shutdownTimeout(settings.execution().shutdownTimeout());
        Map<String, CircuitBreaker> next = new LinkedHashMap<>();
        for (GatewayConfig.Adapter adapter : settings.adapters()) {
            String name = adapter.name();
            if (adapter.url() == null) {
                throw new IllegalArgumentException("adapter '" + name + "' needs a url for the gateway");
            }
            CircuitBreaker existing = breakers.get(name);
            CircuitBreaker breaker = existing != null && sameSettings(existing.config(), adapter.circuitBreaker()) ? existing
                    : CircuitBreaker.of(adapter.circuitBreaker().toBuilder().trackLatency(true).buildConfig());
            if (breaker != existing) {
                registry.replace(breaker);
            }
            next.put(name, breaker);
            Retry retry = Retry.builder(name).maxRetries(1).backoff(Backoff.fixed(Duration.ofMillis(100))).build();
            registry.replace(retry);
            Timeout timeout = Timeout.builder(name, adapter.operationTimeout()).build();
            registry.replace(timeout);
            HttpAdapter http = new HttpAdapter(name, adapter.url(), client, adapter.method(), adapter.headers(), adapter.bodyTemplate());
            if (settings.enabled()) {
                builder.adapter(http, breaker, retry, timeout);
            } else {
                builder.adapter(http, timeout); // fault tolerance off: just the time limit
            }
        }
        for (String gone : breakers.keySet()) {
            if (!next.containsKey(gone)) {
                registry.remove(CircuitBreaker.class, gone);
                registry.remove(Retry.class, gone);
                registry.remove(Timeout.class, gone);
            }
        }
        FanOut<String, String> built = builder.build();
        registry.replace(built);
        breakers = java.util.Collections.unmodifiableMap(next);
        fanOut = built;
    }

    private static boolean sameSettings(dev.bulwark.circuit.CircuitBreakerConfig a, dev.bulwark.circuit.CircuitBreakerConfig b) {
        return a.consecutiveFailureThreshold() == b.consecutiveFailureThreshold() && a.successThreshold() == b.successThreshold()
                && a.recoveryTimeout().equals(b.recoveryTimeout()) && a.maxRecoveryTimeout().equals(b.maxRecoveryTimeout())
                && a.exponentialBackoff() == b.exponentialBackoff() && a.cleanupInterval().equals(b.cleanupInterval())
                && a.retentionPeriod().equals(b.retentionPeriod());
    }

    /**
     * Starts a gateway on {@code port} (0 for any free port) over the named adapters, each behind a circuit
     * breaker (5 consecutive failures, 10 s open period for the demo), a 1 s timeout and one retry.
     */
    public static Gateway start(Map<String, URI> adapters, int port) {
        return start(demoConfig(adapters), port, System.getenv().getOrDefault("BULWARK_ADMIN_TOKEN", ""));
    }

    /** The configuration {@link #start(Map, int)} uses. */
    public static GatewayConfig demoConfig(Map<String, URI> adapters) {
        StringBuilder yaml = new StringBuilder("fault_tolerance:\n  recovery_timeout: 10s\n  max_recovery_timeout: 60s\n"
                + "  execution:\n    timeout: 3s\nadapters:\n");
        adapters.forEach((name, url) -> yaml.append("  - name: ").append(name).append("\n    url: ").append(url)
                .append("\n    fault_tolerance:\n      operation_timeout: 1s\n"));
        return GatewayConfigLoader.parse("built-in demo configuration", yaml.toString());
    }

    /**
     * Starts a gateway on {@code port} (0 for any free port) as {@code config} describes. Mutating admin endpoints
     * need {@code Authorization: Bearer <adminToken>}; with a blank token they are refused to everyone.
     */
    public static Gateway start(GatewayConfig config, int port, String adminToken) {
        return new Gateway(config, port, adminToken, ModeOrchestrator.builder("gateway").build());
    }

    /** As {@link #start(GatewayConfig, int, String)}, with a mode orchestrator of your own (thresholds, clock). */
    public static Gateway start(GatewayConfig config, int port, String adminToken, ModeOrchestrator orchestrator) {
        return new Gateway(config, port, adminToken, orchestrator);
    }

    /** Starts a gateway whose admin token is {@code BULWARK_ADMIN_TOKEN} (admin endpoints refused when unset). */
    public static Gateway start(GatewayConfig config, int port) {
        return start(config, port, System.getenv().getOrDefault("BULWARK_ADMIN_TOKEN", ""));
    }

    /** The port it listens on. */
    public int port() {
        return app.port();
    }

    /** Everything it runs, by name. */
    public Registry registry() {
        return registry;
    }

    private void query(Context ctx) throws Exception {
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (Exception malformed) {
            error(ctx, 400, "body", "the body must be a JSON object: " + malformed.getMessage().lines().findFirst().orElse("unreadable"));
            return;
        }
        if (body == null || !body.isObject()) {
            error(ctx, 400, "body", "the body must be a JSON object");
            return;
        }
        JsonNode query = body.get("query");
        if (query == null || !query.isTextual() || query.asText().isBlank()) {
            error(ctx, 400, "query", "query must be a non-blank string");
            return;
        }
        RequestOptions options = RequestOptions.defaults();
        JsonNode strategy = body.get("strategy");
        if (strategy != null) {
            try {
                options = options.strategy(Strategy.valueOf(strategy.asText().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException unknown) {
                error(ctx, 400, "strategy", "strategy must be one of all, first_success, best_effort; was '"
                        + strategy.asText() + "'");
                return;
            }
        }
        JsonNode adapters = body.get("adapters");
        if (adapters != null) {
            if (!adapters.isArray()) {
                error(ctx, 400, "adapters", "adapters must be an array of adapter names");
                return;
            }
            List<String> names = new ArrayList<>();
            for (JsonNode name : adapters) {
                if (!breakers.containsKey(name.asText())) {
                    error(ctx, 404, "adapters", "unknown adapter '" + name.asText() + "'; known: " + breakers.keySet());
                    return;
                }
                names.add(name.asText());
            }
            options = options.adapters(names);
        }
        String requestId = Optional.ofNullable(ctx.header("X-Request-Id")).orElse(UUID.randomUUID().toString());
        RequestOptions chosen = options.tags(Map.of("request-id", requestId));
        String text = query.asText();
        if (modes.isActive(Mode.EMERGENCY)) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("request_id", requestId);
            out.put("mode", "EMERGENCY");
            out.put("fallback", answers.usable(text).isPresent() ? "cache" : "none");
            out.put("results", answers.usable(text).orElse(List.of()));
            out.put("reason", modes.notification().map(change -> change.reason()).orElse(""));
            json(ctx, 200, out);
            return;
        }
        ctx.future(() -> fanOut.executeAsync(text, chosen).toCompletableFuture()
                .thenAccept(result -> json(ctx, 200, answer(text, result, requestId))));
    }

    /** Renders the result; when every adapter failed, the last good answer for the query is served from cache. */
    private Map<String, Object> answer(String query, FanOutResult<String> result, String requestId) {
        Map<String, Object> out = render(result, requestId);
        out.put("mode", modes.mode().name());
        if (result.anySucceeded()) {
            answers.put(query, result.values());
            out.put("fallback", "none");
        } else {
            Optional<List<String>> cached = answers.usable(query);
            out.put("fallback", cached.isPresent() ? "cache" : "none");
            cached.ifPresent(values -> out.put("results", values));
        }
        return out;
    }

    private static Map<String, Object> render(FanOutResult<String> result, String requestId) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("request_id", requestId);
        out.put("strategy", result.strategy().name().toLowerCase(Locale.ROOT));
        out.put("duration_ms", result.duration().toMillis());
        out.put("results", result.values());
        out.put("partial", result.partial());
        List<Map<String, Object>> adapters = new ArrayList<>();
        for (AdapterResult<String> adapter : result.results()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", adapter.name());
            one.put("status", adapter.status().name().toLowerCase(Locale.ROOT));
            one.put("value", adapter.value());
            one.put("error", adapter.error() == null ? null : adapter.error().getMessage());
            one.put("duration_ms", adapter.duration().toMillis());
            one.put("circuit_state", adapter.circuitState() == null ? null : adapter.circuitState().name());
            adapters.add(one);
        }
        out.put("adapters", adapters);
        return out;
    }

    private void system(Context ctx) {
        List<String> open = breakers.values().stream().filter(breaker -> breaker.state().rejectsCalls())
                .map(CircuitBreaker::name).toList();
        String status = open.isEmpty() ? "healthy" : open.size() == breakers.size() ? "unhealthy" : "degraded";
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", status);
        out.put("adapters", breakers.size());
        out.put("open_circuits", open);
        json(ctx, 200, out);
    }

    private void memoryUsage(Context ctx) {
        Runtime runtime = Runtime.getRuntime();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("heap_used_bytes", runtime.totalMemory() - runtime.freeMemory());
        out.put("heap_max_bytes", runtime.maxMemory());
        out.put("circuit_breakers", breakers.size());
        out.put("history_records", breakers.values().stream().mapToInt(breaker -> breaker.stats().history().size()).sum());
        out.put("cached_answers", answers.stats().size());
        json(ctx, 200, out);
    }

    /** Mutating endpoints need the admin token: 401 without credentials, 403 with wrong ones. */
    private void authorized(Context ctx, Runnable action) {
        String header = ctx.header("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            error(ctx, 401, "Authorization", "this endpoint needs 'Authorization: Bearer <token>' (BULWARK_ADMIN_TOKEN)");
            return;
        }
        String given = header.substring("Bearer ".length());
        if (adminToken.isBlank() || !java.security.MessageDigest.isEqual(given.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                adminToken.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            error(ctx, 403, "Authorization", "the token is not the admin token");
            return;
        }
        action.run();
    }

    private void withBreaker(Context ctx, java.util.function.Consumer<CircuitBreaker> action) {
        CircuitBreaker breaker = breakers.get(ctx.pathParam("name"));
        if (breaker == null) {
            error(ctx, 404, "name", "no adapter '" + ctx.pathParam("name") + "'; known: " + breakers.keySet());
            return;
        }
        action.accept(breaker);
    }

    private static Map<String, Object> summary(CircuitBreaker breaker) {
        CircuitStats stats = breaker.stats();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", breaker.name());
        out.put("state", stats.state().name());
        out.put("health_score", breaker.health().score());
        out.put("total_calls", stats.totalCalls());
        out.put("failed_calls", stats.failedCalls());
        out.put("rejected_calls", stats.rejectedCalls());
        out.put("consecutive_failures", stats.consecutiveFailures());
        return out;
    }

    private static Map<String, Object> stats(CircuitBreaker breaker) {
        CircuitStats stats = breaker.stats();
        Map<String, Object> out = summary(breaker);
        out.put("successful_calls", stats.successfulCalls());
        out.put("slow_calls", stats.slowCalls());
        out.put("timed_out_calls", stats.timedOutCalls());
        out.put("failure_rate", stats.failureRate());
        out.put("time_in_state_ms", stats.timeInState().toMillis());
        out.put("recovery_timeout_ms", stats.recoveryTimeout().toMillis());
        out.put("transitions", stats.history().stream().map(t -> t.from() + " -> " + t.to() + " (" + t.reason().label() + ")").toList());
        return out;
    }

    private static void error(Context ctx, int status, String field, String message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", message);
        out.put("field", field);
        json(ctx, status, out);
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
        } catch (Exception unserializable) {
            throw new IllegalStateException(unserializable);
        }
    }

    CircuitState state(String adapter) {
        return breakers.get(adapter).state();
    }

    /** The mode orchestrator watching the gateway's outcomes. */
    public ModeOrchestrator modes() {
        return modes;
    }

    @Override
    public void close() {
        app.stop();
        modes.stop();
        fanOut.shutdown();
    }
}
