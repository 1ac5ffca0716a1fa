package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.ConfigException;
import dev.bulwark.failover.FailoverGroup;
import dev.bulwark.store.FailoverLog;
import dev.bulwark.store.JdbcStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The failover endpoints, the POSTs behind the admin token and each audited (see {@link HealthRoutes#authorized}): {@code POST /failover/{group}/signal}
 * ({@code rebalance} with risk factors, or {@code termination}), {@code /manual/enable}, {@code /manual/disable},
 * {@code /auto/enable}, {@code /auto/disable} (auto and manual exclude each other: 409 naming the active one),
 * {@code /switch} (manual mode, ready standby: else 409); {@code GET /failover/{group}} the status and
 * {@code GET /failover/report} switches and standbys per group.
 */
final class FailoverRoutes {
    private FailoverRoutes() {
    }

    static void install(RoutesConfig routes, Gateway gateway, FailoverService failovers, Supplier<@Nullable JdbcStore> store) {
        routes.get("/failover/report", ctx -> report(ctx, failovers, store.get(), gateway));
        routes.get("/failover/{group}", ctx -> withGroup(ctx, failovers, managed -> Views.json(ctx, 200, failovers.status(managed))));
        admin(routes, gateway, failovers, store, "/failover/{group}/signal", "failover.signal", FailoverRoutes::signal);
        admin(routes, gateway, failovers, store, "/failover/{group}/manual/enable", "failover.manual.enable", FailoverRoutes::enableManual);
        admin(routes, gateway, failovers, store, "/failover/{group}/manual/disable", "failover.manual.disable", FailoverRoutes::disableManual);
        admin(routes, gateway, failovers, store, "/failover/{group}/auto/enable", "failover.auto.enable", FailoverRoutes::enableAuto);
        admin(routes, gateway, failovers, store, "/failover/{group}/auto/disable", "failover.auto.disable", FailoverRoutes::disableAuto);
        admin(routes, gateway, failovers, store, "/failover/{group}/switch", "failover.switch", FailoverRoutes::manualSwitch);
    }

    /** An answer: status and body. */
    private record Answer(int status, Map<String, Object> body) {
    }

    private interface Operation {
        Answer run(Context ctx, FailoverService failovers, FailoverService.Managed managed) throws Exception;
    }

    private static void admin(RoutesConfig routes, Gateway gateway, FailoverService failovers,
                              Supplier<@Nullable JdbcStore> store, String path, String action, Operation operation) {
        routes.post(path, ctx -> HealthRoutes.authorized(ctx, gateway, action, () -> withGroup(ctx, failovers, managed -> {
            Answer answer;
            try {
                answer = operation.run(ctx, failovers, managed);
            } catch (ClientError refused) {
                answer = error(refused.status(), refused.field(), refused.getMessage());
            } catch (Exception failed) {
                answer = error(503, "group", "the operation failed: " + Views.describe(failed));
            }
            Views.json(ctx, answer.status(), answer.body());
        })));
    }

    private interface GroupAction {
        void run(FailoverService.Managed managed) throws Exception;
    }

    private static void withGroup(Context ctx, FailoverService failovers, GroupAction action) {
        FailoverService.Managed managed = failovers.group(ctx.pathParam("group"));
        if (managed == null) {
            Views.error(ctx, 404, "group", "no failover group '" + ReadingsBatchParser.echo(ctx.pathParam("group"))
                    + "'; known: " + failovers.names());
            return;
        }
        try {
            action.run(managed);
        } catch (Exception failed) {
            throw new IllegalStateException(failed);
        }
    }

    private static Answer error(int status, String field, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("field", field);
        return new Answer(status, body);
    }

    private static Answer ok(FailoverService failovers, FailoverService.Managed managed) {
        return new Answer(200, failovers.status(managed));
    }

    private static Answer signal(Context ctx, FailoverService failovers, FailoverService.Managed managed) throws Exception {
        JsonNode body;
        try {
            body = Views.mapper().readTree(ctx.bodyAsBytes());
        } catch (java.io.IOException malformed) {
            throw new ClientError(400, "body", "the body must be a JSON object {\"type\": \"rebalance\"|\"termination\", ...}");
        }
        if (body == null || !body.isObject() || !body.path("type").isTextual()) {
            throw new ClientError(400, "type", "type is required: rebalance (with risk_factors) or termination");
        }
        FailoverGroup<java.net.URI> group = managed.group;
        switch (body.get("type").asText()) {
            case "rebalance" -> {
                JsonNode factors = body.path("risk_factors");
                FailoverGroup.RiskFactors risk;
                try {
                    risk = new FailoverGroup.RiskFactors(factor(factors, "failure_history"), factor(factors, "age"),
                            factor(factors, "volatility"));
                } catch (ConfigException outOfRange) {
                    throw new ClientError(400, "risk_factors." + snake(outOfRange.field()), "risk_factors."
                            + snake(outOfRange.field()) + " must be " + outOfRange.allowed() + ", was " + outOfRange.value());
                }
                double score = group.earlyWarning(risk);
                Map<String, Object> out = failovers.status(managed);
                out.put("risk", score);
                out.put("provisioning", group.mode() == FailoverGroup.ControlMode.AUTO && score >= group.config().riskThreshold());
                return new Answer(200, out);
            }
            case "termination" -> {
                if (group.mode() == FailoverGroup.ControlMode.OFF) {
                    throw new ClientError(409, "mode", "failover is off for group '" + managed.settings.name()
                            + "': enable auto or manual mode first");
                }
                failovers.signalled(managed, "termination", "POST /failover/" + managed.settings.name() + "/signal");
                FailoverGroup.Switch done = await(group.imminentLoss(), group.config().terminationGracePeriod().plusSeconds(5));
                Map<String, Object> out = failovers.status(managed);
                out.put("switch", Map.of("kind", FailoverService.kind(done.kind()), "duration_ms", done.duration().toMillis()));
                return new Answer(200, out);
            }
            default -> throw new ClientError(400, "type", "type must be rebalance or termination, was '"
                    + ReadingsBatchParser.echo(body.get("type").asText()) + "'");
        }
    }

    private static double factor(JsonNode factors, String key) {
        JsonNode value = factors.get(key);
        if (value == null || !value.isNumber()) {
            throw new ClientError(400, "risk_factors." + key, "risk_factors." + key + " must be a number in [0, 1]");
        }
        return value.asDouble();
    }

    private static String snake(String camel) {
        return camel.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
    }

    private static Answer enableManual(Context ctx, FailoverService failovers, FailoverService.Managed managed) throws Exception {
        FailoverGroup<java.net.URI> group = managed.group;
        if (group.mode() == FailoverGroup.ControlMode.AUTO) {
            throw new ClientError(409, "mode", "cannot enable manual mode while auto mode is active; POST /failover/"
                    + managed.settings.name() + "/auto/disable first");
        }
        if (group.mode() == FailoverGroup.ControlMode.MANUAL) {
            return ok(failovers, managed);
        }
        CompletionStage<java.net.URI> standby = group.enableManual();
        try {
            await(standby, managed.settings.readyTimeout().plusSeconds(2));
        } catch (TimeoutException stillWarming) {
            return new Answer(202, failovers.status(managed));
        }
        return ok(failovers, managed);
    }

    private static Answer disableManual(Context ctx, FailoverService failovers, FailoverService.Managed managed) throws Exception {
        if (managed.group.mode() != FailoverGroup.ControlMode.MANUAL) {
            throw new ClientError(409, "mode", "manual mode is not active (mode is " + mode(managed) + ")");
        }
        await(managed.group.disableManual(), Duration.ofSeconds(10));
        return ok(failovers, managed);
    }

    private static Answer enableAuto(Context ctx, FailoverService failovers, FailoverService.Managed managed) {
        if (managed.group.mode() == FailoverGroup.ControlMode.MANUAL) {
            throw new ClientError(409, "mode", "cannot enable auto mode while manual mode is active; POST /failover/"
                    + managed.settings.name() + "/manual/disable first");
        }
        managed.group.enableAuto();
        return ok(failovers, managed);
    }

    private static Answer disableAuto(Context ctx, FailoverService failovers, FailoverService.Managed managed) {
        if (managed.group.mode() != FailoverGroup.ControlMode.AUTO) {
            throw new ClientError(409, "mode", "auto mode is not active (mode is " + mode(managed) + ")");
        }
        managed.group.disableAuto();
        return ok(failovers, managed);
    }

    private static Answer manualSwitch(Context ctx, FailoverService failovers, FailoverService.Managed managed) throws Exception {
        FailoverGroup<java.net.URI> group = managed.group;
        if (group.mode() != FailoverGroup.ControlMode.MANUAL) {
            throw new ClientError(409, "mode", "the manual switch needs manual mode; mode is " + mode(managed));
        }
        if (!group.standbyReady()) {
            throw new ClientError(409, "standby", "the standby is not ready (" + (group.standby().isPresent()
                    ? "provisioning" : "none") + "); switch once GET /failover/" + managed.settings.name() + " shows it ready");
        }
        FailoverGroup.Switch done = await(group.manualSwitch(), Duration.ofSeconds(10));
        Map<String, Object> out = failovers.status(managed);
        out.put("switch", Map.of("kind", FailoverService.kind(done.kind()), "duration_ms", done.duration().toMillis()));
        return new Answer(200, out);
    }

    private static String mode(FailoverService.Managed managed) {
        return managed.group.mode().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static <T> T await(CompletionStage<T> stage, Duration bound) throws Exception {
        try {
            return stage.toCompletableFuture().get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof IllegalStateException refused) {
                throw new ClientError(409, "group", refused.getMessage() == null ? "refused" : refused.getMessage());
            }
            throw cause instanceof Exception exception ? exception : failed;
        }
    }

    private static void report(Context ctx, FailoverService failovers, @Nullable JdbcStore store, Gateway gateway) {
        if (store == null) {
            Views.error(ctx, 503, "storage", "failover records are not stored: the configuration has no storage: block");
            return;
        }
        long since = 0;
        String raw = ctx.queryParam("since");
        if (raw != null && !raw.isEmpty()) {
            try {
                since = java.time.Instant.parse(raw).toEpochMilli();
            } catch (java.time.format.DateTimeParseException bad) {
                Views.error(ctx, 400, "since", "since must be an ISO-8601 instant like 2026-11-01T00:00:00Z, was '"
                        + ReadingsBatchParser.echo(raw) + "'");
                return;
            }
        }
        List<Map<String, Object>> switches = new ArrayList<>();
        for (FailoverLog.SwitchSummary summary : store.failovers().switchSummary(since)) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("group", summary.group());
            one.put("total", summary.total());
            one.put("successful", summary.successful());
            one.put("average_ms", summary.averageMillis());
            one.put("fastest_ms", summary.fastestMillis());
            one.put("slowest_ms", summary.slowestMillis());
            switches.add(one);
        }
        List<Map<String, Object>> standbys = new ArrayList<>();
        for (FailoverLog.StandbySummary summary : store.failovers().standbySummary(since)) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("group", summary.group());
            one.put("created", summary.created());
            one.put("average_ready_ms", summary.averageReadyMillis() < 0 ? null : summary.averageReadyMillis());
            one.put("promoted", summary.promoted());
            one.put("terminated_unused", summary.terminatedUnused());
            standbys.add(one);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("groups", failovers.names());
        out.put("switches", switches);
        out.put("standbys", standbys);
        Views.json(ctx, 200, out);
    }
}
