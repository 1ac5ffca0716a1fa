package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitState;
import dev.bulwark.event.Registry;
import dev.bulwark.fallback.ResultCache;
import dev.bulwark.fanout.FanOut;
import dev.bulwark.fanout.FanOutResult;
import dev.bulwark.fanout.RequestOptions;
import dev.bulwark.fanout.Strategy;
import dev.bulwark.health.HealthCheck;
import dev.bulwark.health.HealthChecks;
import dev.bulwark.health.HealthMonitor;
import dev.bulwark.mode.Mode;
import dev.bulwark.mode.ModeOrchestrator;
import dev.bulwark.yaml.GatewayConfig;
import dev.bulwark.yaml.GatewayConfigLoader;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * The gateway: {@code POST /query} fans a query out to the configured HTTP adapters, each behind the policies its
 * configuration gives (rate limit, bulkhead, circuit breaker, retry, hedge, timeout), and returns every adapter's
 * result; when all fail, the last good answer for the query is served from cache and the response says so. The
 * health endpoints show and reset the breakers; {@code /metrics} serves Prometheus text. Bad requests get a 4xx
 * with a JSON body naming the field. {@link #close()} drains: it stops accepting, lets queries in flight finish
 * within the shutdown timeout, then stops.
 */
public final class Gateway implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Gateway.class.getName());
    /** How long, past the shutdown timeout, the server waits for the last answers to be written. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final Registry registry = new Registry();
    // HTTP/1.1: the default (HTTP/2) tries an h2c upgrade on every new plain-text connection. The client's own work
    // (parsing, reading bodies as strings) never blocks, so it runs on its selector thread: handing each step to a
    // pool cost half the gateway's throughput. Our callbacks still leave that thread: sendAsync completes its
    // future on CompletableFuture's default executor (see CommonPool).
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).executor(Runnable::run).build();
    private volatile AdapterSet adapters;
    private volatile Duration shutdownTimeout;
    private final GatewayMetrics metrics = new GatewayMetrics(registry);
    private final ResultCache<String, List<String>> answers = new ResultCache<>(10_000, Duration.ofMinutes(5),
            Duration.ofHours(24), dev.bulwark.time.Clock.system());
    private final InFlight inFlight = new InFlight();
    private final ModeOrchestrator modes;
    private final HealthMonitor health;
    private final String adminToken;
    private final Javalin app;

    private Gateway(GatewayConfig settings, ModeOrchestrator orchestrator) {
        GatewayConfig.Server server = settings.server();
        this.adminToken = server.adminToken();
        if (!CommonPool.isParallel()) {
            LOG.log(System.Logger.Level.WARNING, "the common ForkJoinPool has one worker, so each backend response "
                    + "starts a thread; run with -D" + CommonPool.PARALLELISM + "=2 (GatewayMain does this for you)");
        }
        install(settings);
        health = registry.register(healthMonitor(settings.healthMonitoring()));
        modes = registry.register(orchestrator);
        modes.feedFrom(registry);
        modes.start();
        if (settings.healthMonitoring().enabled()) {
            health.start();
        }
        app = Javalin.create(config -> {
            config.http.maxRequestSize = server.maxRequestBytes();
            config.jetty.modifyServer(jetty -> jetty.setHandler(new GracefulHandler()));
            config.routes.exception(HttpResponseException.class, (problem, ctx) -> {
                if (problem.getStatus() == 413) {
                    Views.error(ctx, 413, "body", "the request body is larger than server.max_request_bytes ("
                            + server.maxRequestBytes() + " bytes)");
                } else {
                    Views.error(ctx, problem.getStatus(), "request", problem.getMessage());
                }
            });
            config.routes.exception(Exception.class, (problem, ctx) -> {
                LOG.log(System.Logger.Level.ERROR, "unexpected failure answering " + ctx.path(), problem);
                Views.error(ctx, 500, "request", "the gateway failed to answer: " + problem);
            });
            config.requestLogger.http(metrics::recordRequest);
            config.routes.post("/query", this::query);
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
            HealthRoutes.install(config.routes, this);
        }).start(server.host(), server.port());
        metrics.bindServer(app.jettyServer().server());
    }

    /** Seed 1's {@code health_monitoring:} over the JVM (heap, CPU, disk) and the adapters' breakers. */
    private HealthMonitor healthMonitor(GatewayConfig.HealthMonitoring settings) {
        HealthMonitor monitor = HealthMonitor.builder("gateway").historySize(settings.historySize()).build();
        for (HealthCheck check : List.of(HealthChecks.heap(), HealthChecks.cpuLoad(), HealthChecks.diskSpace(Path.of(".")),
                HealthChecks.circuitBreakers(registry))) {
            monitor.register(check.withInterval(settings.checkInterval()));
        }
        return monitor;
    }

    /** Starts a gateway as {@code config} describes, its {@code server:} block included. */
    public static Gateway start(GatewayConfig config) {
        return start(config, ModeOrchestrator.builder("gateway").build());
    }

    /** As {@link #start(GatewayConfig)}, with a mode orchestrator of your own (thresholds, clock). */
    public static Gateway start(GatewayConfig config, ModeOrchestrator orchestrator) {
        return new Gateway(config, orchestrator);
    }

    /**
     * Starts a gateway on loopback {@code port} (0 for any free port) as {@code config} describes, with
     * {@code adminToken} for the mutating admin endpoints (blank: they are refused to everyone).
     */
    public static Gateway start(GatewayConfig config, int port, String adminToken, ModeOrchestrator orchestrator) {
        GatewayConfig.Server server = config.server();
        return start(config.withServer(new GatewayConfig.Server(server.host(), port, adminToken, server.maxRequestBytes())),
                orchestrator);
    }

    /**
     * Starts a gateway on {@code port} (0 for any free port) over the named adapters, each behind a circuit
     * breaker (5 consecutive failures, 10 s open period for the demo), a 1 s timeout and one retry; the admin token
     * is {@code BULWARK_ADMIN_TOKEN}.
     */
    public static Gateway start(Map<String, URI> adapters, int port) {
        return start(demoConfig(adapters), port, System.getenv().getOrDefault("BULWARK_ADMIN_TOKEN", ""),
                ModeOrchestrator.builder("gateway").build());
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
     * Applies a new configuration while running (hot reload): components whose settings did not change keep their
     * state (an open breaker stays open); the others are rebuilt; removed adapters leave the registry. The new
     * fan-out takes over at once and the old one drains its in-flight calls. The {@code server:} block is read at
     * start only.
     */
    public void reload(GatewayConfig settings) {
        FanOut<String, String> previous = adapters == null ? null : adapters.fanOut();
        install(settings);
        if (previous != null && previous != adapters.fanOut()) {
            previous.shutdown();
        }
    }

    private synchronized void install(GatewayConfig settings) {
        adapters = AdapterSet.build(settings, adapters, registry, client, metrics.registry());
        shutdownTimeout = settings.execution().shutdownTimeout();
    }

    /** The port it listens on. */
    public int port() {
        return app.port();
    }

    /** Everything it runs, by name. */
    public Registry registry() {
        return registry;
    }

    /** The health monitor running seed 1's checks (started when {@code health_monitoring.enabled}). */
    public HealthMonitor health() {
        return health;
    }

    /** The mode orchestrator watching the gateway's outcomes. */
    public ModeOrchestrator modes() {
        return modes;
    }

    Map<String, CircuitBreaker> breakers() {
        return adapters.breakers();
    }

    boolean authorizedAdmin(String token) {
        return !adminToken.isBlank() && java.security.MessageDigest.isEqual(
                token.getBytes(java.nio.charset.StandardCharsets.UTF_8), adminToken.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    int cachedAnswers() {
        return answers.stats().size();
    }

    CircuitState state(String adapter) {
        return breakers().get(adapter).state();
    }

    private void query(Context ctx) {
        if (!inFlight.enter()) {
            Views.error(ctx, 503, "request", "the gateway is shutting down");
            return;
        }
        boolean answering = false;
        try {
            answering = answer(ctx);
        } finally {
            if (!answering) {
                inFlight.exit();
            }
        }
    }

    /** Answers a query; true when the answer comes later (then it calls {@code inFlight.exit()} itself). */
    private boolean answer(Context ctx) {
        JsonNode body;
        try {
            body = Views.mapper().readTree(ctx.body());
        } catch (HttpResponseException tooLarge) {
            throw tooLarge;
        } catch (Exception malformed) {
            Views.error(ctx, 400, "body", "the body must be a JSON object: "
                    + Optional.ofNullable(malformed.getMessage()).orElse("unreadable").lines().findFirst().orElse("unreadable"));
            return false;
        }
        if (body == null || !body.isObject()) {
            Views.error(ctx, 400, "body", "the body must be a JSON object");
            return false;
        }
        JsonNode query = body.get("query");
        if (query == null || !query.isTextual() || query.asText().isBlank()) {
            Views.error(ctx, 400, "query", "query must be a non-blank string");
            return false;
        }
        RequestOptions options = RequestOptions.defaults();
        JsonNode strategy = body.get("strategy");
        if (strategy != null) {
            try {
                options = options.strategy(Strategy.valueOf(strategy.asText().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException unknown) {
                Views.error(ctx, 400, "strategy", "strategy must be one of all, first_success, best_effort; was '"
                        + strategy.asText() + "'");
                return false;
            }
        }
        AdapterSet current = adapters;
        JsonNode chosen = body.get("adapters");
        if (chosen != null) {
            if (!chosen.isArray()) {
                Views.error(ctx, 400, "adapters", "adapters must be an array of adapter names");
                return false;
            }
            List<String> names = new ArrayList<>();
            for (JsonNode name : chosen) {
                if (!current.breakers().containsKey(name.asText())) {
                    Views.error(ctx, 404, "adapters", "unknown adapter '" + name.asText() + "'; known: "
                            + current.breakers().keySet());
                    return false;
                }
                names.add(name.asText());
            }
            options = options.adapters(names);
        }
        String requestId = Optional.ofNullable(ctx.header("X-Request-Id")).orElse(UUID.randomUUID().toString());
        String text = query.asText();
        if (modes.isActive(Mode.EMERGENCY)) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("request_id", requestId);
            out.put("mode", "EMERGENCY");
            out.put("fallback", answers.usable(text).isPresent() ? "cache" : "none");
            out.put("results", answers.usable(text).orElse(List.of()));
            out.put("reason", modes.notification().map(change -> change.reason()).orElse(""));
            Views.json(ctx, 200, out);
            return false;
        }
        RequestOptions request = options.tags(Map.of("request-id", requestId));
        ctx.future(() -> current.fanOut().executeAsync(text, request).toCompletableFuture()
                .thenAccept(result -> Views.json(ctx, 200, withFallback(text, result, requestId)))
                .whenComplete((ignored, error) -> inFlight.exit()));
        return true;
    }

    /** Renders the result; when every adapter failed, the last good answer for the query is served from cache. */
    private Map<String, Object> withFallback(String query, FanOutResult<String> result, String requestId) {
        Map<String, Object> out = Views.result(result, requestId);
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

    /** Queries being answered now. */
    int queriesInFlight() {
        return inFlight.count();
    }

    /**
     * Shuts down gracefully: stops accepting connections and queries (a query on a kept-alive connection gets a
     * 503), lets the queries in flight finish for up to the configured {@code shutdown_timeout} (the fan-out
     * cancels adapter calls still running then, and those queries are answered with what finished), then stops.
     */
    @Override
    public void close() {
        inFlight.close();
        adapters.fanOut().shutdown();
        Server jetty = app.jettyServer().server();
        // Jetty's graceful stop closes the listener at once, then waits for requests in flight (the fan-out cancels
        // adapter calls still running at its shutdown timeout, so those queries end by then)
        jetty.setStopTimeout(shutdownTimeout.plus(STOP_GRACE).toMillis());
        try {
            app.stop();
        } catch (RuntimeException late) {
            LOG.log(System.Logger.Level.WARNING, "stopped with " + inFlight.count() + " queries unanswered: " + late);
        } finally {
            modes.stop();
            health.stop();
            metrics.close();
        }
    }
}
