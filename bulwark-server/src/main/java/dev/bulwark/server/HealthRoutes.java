package dev.bulwark.server;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.health.HealthCheck;
import dev.bulwark.health.HealthMonitor;
import dev.bulwark.health.HealthStatus;
import java.util.concurrent.TimeUnit;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The gateway's health and admin endpoints: {@code GET /health/system}, {@code GET /health/adapters},
 * {@code GET /health/adapters/{name}}, {@code GET /health/adapters/{name}/stats},
 * {@code POST /health/adapters/{name}/reset}, {@code POST /health/adapters/{name}/trip} (opens the circuit now; it
 * recovers on its own), {@code GET /health/adapters/memory-usage} and {@code POST /health/adapters/cleanup}. The POSTs
 * change state, need the admin token and are audited ({@link #authorized}). {@code /health/system} answers 503 when
 * unhealthy.
 */
final class HealthRoutes {
    /** Who made an admin change, as the audit records it; without it, {@code admin}. */
    static final String ACTOR_HEADER = "X-Bulwark-Actor";
    static final String ACTOR_PATTERN = "[A-Za-z0-9._@+-]{1,64}";
    private static final java.util.regex.Pattern ACTOR = java.util.regex.Pattern.compile(ACTOR_PATTERN);

    private HealthRoutes() {
    }

    static void install(RoutesConfig routes, Gateway gateway) {
        routes.get("/health/system", ctx -> system(ctx, gateway));
        routes.get("/health/adapters", ctx -> Views.json(ctx, 200,
                gateway.breakers().values().stream().map(Views::summary).toList()));
        routes.get("/health/adapters/memory-usage", ctx -> memoryUsage(ctx, gateway));
        routes.post("/health/adapters/cleanup", ctx -> authorized(ctx, gateway, "circuit.cleanup", () -> {
            int removed = gateway.breakers().values().stream().mapToInt(CircuitBreaker::cleanup).sum();
            Views.json(ctx, 200, Map.of("removed_records", removed));
        }));
        routes.get("/health/adapters/{name}", ctx -> withBreaker(ctx, gateway, breaker -> Views.json(ctx, 200, Views.summary(breaker))));
        routes.get("/health/adapters/{name}/stats", ctx -> withBreaker(ctx, gateway, breaker -> Views.json(ctx, 200, Views.stats(breaker))));
        routes.post("/health/adapters/{name}/reset", ctx -> authorized(ctx, gateway, "circuit.reset", () -> withBreaker(ctx, gateway, breaker -> {
            breaker.reset();
            Views.json(ctx, 200, Views.summary(breaker));
        })));
        routes.post("/health/adapters/{name}/trip", ctx -> authorized(ctx, gateway, "circuit.trip", () -> withBreaker(ctx, gateway, breaker -> {
            breaker.trip();
            Views.json(ctx, 200, Views.summary(breaker));
        })));
    }

    /**
     * The circuits (checked now, by the same check the health monitor runs, so {@code status}, {@code open_circuits}
     * and the {@code circuit-breakers} check always agree), the mode and every health check. 503 when unhealthy
     * (every circuit open, or the health monitor's aggregate UNHEALTHY), else 200, degraded included.
     */
    private static void system(Context ctx, Gateway gateway) throws Exception {
        HealthCheck.Result circuits = gateway.health().runNow(OpenCircuits.CHECK).toCompletableFuture().get(5, TimeUnit.SECONDS);
        Object open = circuits.details().getOrDefault("open_circuits", List.of());
        HealthMonitor.Report report = gateway.health().report();
        String status = circuits.status().name().toLowerCase(java.util.Locale.ROOT);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", status);
        out.put("mode", gateway.modes().mode().name());
        out.put("adapters", circuits.details().get("total"));
        out.put("open_circuits", open);
        out.put("queries_in_flight", gateway.queriesInFlight());
        out.put("health", report.status().name());
        Map<String, Object> checks = new LinkedHashMap<>();
        report.checks().forEach((name, result) -> checks.put(name, Map.of("status", result.status().name(),
                "message", result.message())));
        checks.put(OpenCircuits.CHECK, Map.of("status", circuits.status().name(), "message", circuits.message()));
        out.put("checks", checks);
        out.put("limits", gateway.limitsView());
        ClusterServices cluster = gateway.cluster();
        if (cluster != null) {
            // Redis failing is DEGRADED here and never turns the gateway unhealthy: every component decides locally
            out.put("cluster", cluster.view());
        }
        boolean unhealthy = circuits.status() == HealthStatus.UNHEALTHY || report.status() == HealthStatus.UNHEALTHY;
        Views.json(ctx, unhealthy ? 503 : 200, out);
    }

    private static void memoryUsage(Context ctx, Gateway gateway) {
        Runtime runtime = Runtime.getRuntime();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("heap_used_bytes", runtime.totalMemory() - runtime.freeMemory());
        out.put("heap_max_bytes", runtime.maxMemory());
        out.put("circuit_breakers", gateway.breakers().size());
        out.put("history_records", gateway.breakers().values().stream()
                .mapToInt(breaker -> breaker.stats().history().size()).sum());
        out.put("cached_answers", gateway.cachedAnswers());
        Views.json(ctx, 200, out);
    }

    /**
     * Mutating endpoints need the admin token: 401 without credentials, 403 with wrong ones, and nothing runs. An
     * authorized request runs {@code action}, and the change is recorded in the audit trail as {@code actionName} on
     * the path's adapter or group (else {@code gateway}), by the name in {@value #ACTOR_HEADER} (else {@code admin}),
     * from the caller's address, with its outcome ({@code done} below 300, {@code refused} for a 4xx, else
     * {@code failed}) and the answer's error or mode; a 404 (no such adapter, group or queue) is not recorded. A name
     * that is not {@value #ACTOR_PATTERN} is a 400 and nothing runs.
     */
    static void authorized(Context ctx, Gateway gateway, String actionName, Runnable action) {
        String header = ctx.header("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            Views.error(ctx, 401, "Authorization", "this endpoint needs 'Authorization: Bearer <token>' (BULWARK_ADMIN_TOKEN)");
            return;
        }
        if (!gateway.authorizedAdmin(header.substring("Bearer ".length()))) {
            Views.error(ctx, 403, "Authorization", "the token is not the admin token");
            return;
        }
        String actor = ctx.header(ACTOR_HEADER);
        if (actor != null && !ACTOR.matcher(actor).matches()) {
            Views.error(ctx, 400, ACTOR_HEADER, ACTOR_HEADER + " must be 1 to 64 letters, digits or . _ @ + -, was '"
                    + (actor.length() > 80 ? actor.substring(0, 80) + "..." : actor) + "'");
            return;
        }
        try {
            action.run();
        } finally {
            // a 404 names no adapter, group or queue: nothing was asked of anything that exists
            if (ctx.statusCode() != 404) {
                gateway.audit().record(auditEntry(ctx, gateway, actionName, actor == null ? "admin" : actor));
            }
        }
    }

    private static dev.bulwark.store.AuditLog.Entry auditEntry(Context ctx, Gateway gateway, String actionName,
                                                               String actor) {
        Map<String, String> params = ctx.pathParamMap();
        String target = params.containsKey("name") ? params.get("name") : params.getOrDefault("group", "gateway");
        int status = ctx.statusCode();
        String outcome = status < 300 ? "done" : status < 500 ? "refused" : "failed";
        String detail = "";
        try {
            String body = ctx.result();
            com.fasterxml.jackson.databind.JsonNode answer = body == null ? null : Views.mapper().readTree(body);
            if (answer != null && answer.isObject()) {
                com.fasterxml.jackson.databind.JsonNode said = answer.has("error") ? answer.get("error") : answer.has("mode")
                        ? answer.get("mode") : answer.has("state") ? answer.get("state") : answer.get("drained");
                detail = said == null ? "" : said.asText();
            }
        } catch (java.io.IOException | RuntimeException notJson) {
            detail = "status " + status;
        }
        return new dev.bulwark.store.AuditLog.Entry(gateway.wallMillis(), actionName, target, outcome, detail, actor,
                ctx.ip());
    }

    private static void withBreaker(Context ctx, Gateway gateway, Consumer<CircuitBreaker> action) {
        CircuitBreaker breaker = gateway.breakers().get(ctx.pathParam("name"));
        if (breaker == null) {
            Views.error(ctx, 404, "name", "no adapter '" + ctx.pathParam("name") + "'; known: " + gateway.breakers().keySet());
            return;
        }
        action.accept(breaker);
    }

    /**
     * The bounds a client runs into: adapters per query, the worst case of backend calls per query (each adapter
     * at most once, times its attempts and hedges; {@code perAdapter} gives each one's), the per-client limit, the
     * header read deadline.
     */
    static Map<String, Object> limits(dev.bulwark.yaml.ServerLimits limits, Map<String, Long> perAdapter) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("max_adapters_per_query", limits.maxAdaptersPerQuery());
        out.put("max_backend_calls_per_query", perAdapter.values().stream().reduce(0L, AdapterSet::saturatedSum));
        out.put("max_backend_calls_per_adapter", perAdapter);
        dev.bulwark.yaml.ServerLimits.ClientRateLimit perClient = limits.clientRateLimit();
        out.put("client_rate_limit", perClient == null ? "off" : Map.of("permits_per_second", perClient.permitsPerSecond(),
                "burst", perClient.burst(), "client_header", perClient.clientHeader(), "max_clients", perClient.maxClients()));
        out.put("header_read_timeout_ms", limits.headerReadTimeout().toMillis());
        out.put("idle_timeout_ms", limits.idleTimeout().toMillis());
        out.put("accept_queue_size", limits.acceptQueueSize());
        return out;
    }
}
