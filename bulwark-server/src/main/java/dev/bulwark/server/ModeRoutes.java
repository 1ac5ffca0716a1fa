package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.mode.Mode;
import dev.bulwark.mode.ModeChange;
import dev.bulwark.mode.ModeOrchestrator;
import dev.bulwark.yaml.GatewayModes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The mode endpoints: {@code GET /mode} (the mode, what triggered it and why, the metrics now, what the mode does to
 * queries, the history of changes), {@code POST /mode/force} ({@code {"mode": "DEGRADED"|"EMERGENCY", "reason": ...}})
 * and {@code POST /mode/release}, both behind the admin token and audited. Every response of the gateway carries the mode in
 * {@link #HEADER}.
 */
final class ModeRoutes {
    /** The response header naming the mode, so that clients can adapt. */
    static final String HEADER = "X-Bulwark-Mode";

    private ModeRoutes() {
    }

    static void install(RoutesConfig routes, Gateway gateway, Supplier<GatewayModes> behaviours) {
        ModeOrchestrator modes = gateway.modes();
        routes.get("/mode", ctx -> Views.json(ctx, 200, view(modes, behaviours.get())));
        routes.post("/mode/force", ctx -> HealthRoutes.authorized(ctx, gateway, "mode.force", () -> force(ctx, modes, behaviours.get())));
        routes.post("/mode/release", ctx -> HealthRoutes.authorized(ctx, gateway, "mode.release", () -> {
            modes.release();
            ctx.header(HEADER, modes.mode().name());
            Views.json(ctx, 200, view(modes, behaviours.get()));
        }));
    }

    private static void force(Context ctx, ModeOrchestrator modes, GatewayModes behaviours) {
        JsonNode body;
        try {
            body = Views.mapper().readTree(ctx.body());
        } catch (Exception malformed) {
            Views.error(ctx, 400, "body", "the body must be a JSON object like {\"mode\": \"EMERGENCY\", \"reason\": \"...\"}");
            return;
        }
        JsonNode modeField = body == null ? null : body.get("mode");
        String asked = modeField == null || !modeField.isTextual() ? "" : modeField.asText().toUpperCase(Locale.ROOT);
        if (!asked.equals("DEGRADED") && !asked.equals("EMERGENCY")) {
            Views.error(ctx, 400, "mode", "mode must be DEGRADED or EMERGENCY (POST /mode/release ends a forced mode), was '"
                    + (modeField == null ? "" : modeField.asText()) + "'");
            return;
        }
        JsonNode reasonField = body.get("reason");
        String reason = reasonField == null || reasonField.asText().isBlank() ? "forced over HTTP" : reasonField.asText();
        if (reason.length() > 500) {
            Views.error(ctx, 400, "reason", "reason must be at most 500 characters, was " + reason.length());
            return;
        }
        modes.force(Mode.valueOf(asked), reason);
        ctx.header(HEADER, modes.mode().name());
        Views.json(ctx, 200, view(modes, behaviours));
    }

    static Map<String, Object> view(ModeOrchestrator modes, GatewayModes behaviours) {
        Mode mode = modes.mode();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", mode.name());
        var notification = modes.notification();
        out.put("trigger", notification.map(change -> change.trigger().name()).orElse(null));
        out.put("reason", notification.map(ModeChange::reason).orElse(null));
        out.put("since", notification.map(change -> Instant.ofEpochMilli(change.wallMillis()).toString()).orElse(null));
        out.put("metrics", modes.metrics());
        out.put("behaviour", behaviour(mode == Mode.NORMAL ? GatewayModes.Behaviour.normal()
                : mode == Mode.DEGRADED ? behaviours.degraded() : behaviours.emergency()));
        List<Map<String, Object>> history = new ArrayList<>();
        for (ModeChange change : modes.history()) {
            history.add(change(change));
        }
        out.put("history", history);
        return out;
    }

    static Map<String, Object> change(ModeChange change) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("at", Instant.ofEpochMilli(change.wallMillis()).toString());
        one.put("from", change.from().name());
        one.put("to", change.to().name());
        one.put("trigger", change.trigger().name());
        one.put("reason", change.reason());
        one.put("snapshot", change.snapshot());
        return one;
    }

    private static Map<String, Object> behaviour(GatewayModes.Behaviour behaviour) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("strategy", behaviour.strategy() == null ? "as asked" : behaviour.strategy().name().toLowerCase(Locale.ROOT));
        out.put("skip_optional_adapters", behaviour.skipOptionalAdapters());
        out.put("hedging", behaviour.hedging());
        out.put("cache_only", behaviour.cacheOnly());
        return out;
    }
}
