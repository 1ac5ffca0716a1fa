package dev.bulwark.server;

import dev.bulwark.store.AuditLog;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin endpoints the dashboard adds: {@code POST /queues/{name}/drain} (behind the admin token and audited: runs
 * the adapter's kept queries now; 404 for an adapter that keeps no queue), {@code GET /queues} (queries waiting, by
 * adapter) and {@code GET /audit?limit=N} (the last N admin changes, newest first; default 50, at most
 * {@value #MAX_LIMIT}).
 */
final class AdminRoutes {
    static final int MAX_LIMIT = 500;

    private AdminRoutes() {
    }

    static void install(RoutesConfig routes, Gateway gateway) {
        routes.get("/queues", ctx -> Views.json(ctx, 200, gateway.deferred().waiting()));
        routes.post("/queues/{name}/drain", ctx -> HealthRoutes.authorized(ctx, gateway, "queue.drain", () -> {
            String adapter = ctx.pathParam("name");
            int drained = gateway.deferred().drainNow(adapter);
            if (drained < 0) {
                Views.error(ctx, 404, "name", "adapter '" + ReadingsBatchParser.echo(adapter) + "' keeps no queue; "
                        + "queues: " + gateway.deferred().waiting().keySet());
                return;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("adapter", adapter);
            out.put("drained", drained);
            out.put("waiting", gateway.deferred().waiting().getOrDefault(adapter, 0));
            Views.json(ctx, 200, out);
        }));
        routes.get("/audit", ctx -> audit(ctx, gateway));
    }

    private static void audit(Context ctx, Gateway gateway) {
        String raw = ctx.queryParam("limit");
        int limit = 50;
        if (raw != null) {
            try {
                limit = Integer.parseInt(raw.trim());
            } catch (NumberFormatException notANumber) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                Views.error(ctx, 400, "limit", "limit must be a whole number in [1, " + MAX_LIMIT + "], was '"
                        + ReadingsBatchParser.echo(raw) + "'");
                return;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("stored_in", gateway.audit().where());
        out.put("durable", gateway.audit().durable());
        out.put("entries", entries(gateway.audit().recent(limit)));
        Views.json(ctx, 200, out);
    }

    static List<Map<String, Object>> entries(List<AuditLog.Entry> entries) {
        return entries.stream().map(entry -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("at", Instant.ofEpochMilli(entry.atMillis()).toString());
            one.put("who", entry.actor());
            one.put("action", entry.action());
            one.put("target", entry.target());
            one.put("outcome", entry.outcome());
            one.put("detail", entry.detail());
            one.put("remote_address", entry.remoteAddress());
            return one;
        }).toList();
    }
}
