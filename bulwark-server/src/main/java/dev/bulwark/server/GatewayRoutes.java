package dev.bulwark.server;

import dev.bulwark.yaml.GatewayConfig;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;

/**
 * The gateway's HTTP side, made once at start: the Jetty server as {@code server:} sets it up ({@link HttpServerSetup}),
 * request ids and metrics on every request, JSON for every error, and the route table (queries, tickets, metrics,
 * health, modes, quotas, series, failover, admin and the dashboard).
 */
final class GatewayRoutes {
    private static final System.Logger LOG = System.getLogger(Gateway.class.getName());

    private GatewayRoutes() {
    }

    /** The server, not started yet, answering for {@code gateway}; queries go to {@code queries}. */
    static Javalin create(Gateway gateway, GatewayConfig.Server server, GatewayMetrics metrics, QueryRoute queries,
                          ReloadStatus reloads, @org.jspecify.annotations.Nullable ReplicaServices replica) {
        return Javalin.create(config -> {
            dev.bulwark.mode.ModeOrchestrator modes = gateway.modes();
            HttpServerSetup.apply(config, server, () -> modes.mode().name());
            config.requestLogger.http(metrics::recordRequest);
            ModeRoutes.install(config.routes, gateway, gateway::modeSettings);
            config.routes.exception(HttpResponseException.class, (problem, ctx) -> HttpErrors.render(problem, ctx, server));
            config.routes.exception(Exception.class, (problem, ctx) -> {
                LOG.log(System.Logger.Level.ERROR, "request_id=" + RequestIds.of(ctx) + " unexpected failure answering "
                        + ctx.method() + " " + ctx.path(), problem);
                Views.error(ctx, 500, "request", "the gateway failed to answer: " + Views.describe(problem));
            });
            config.routes.post("/query", queries::handle);
            config.routes.get("/query/{ticket}", gateway.deferred()::show);
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
            config.routes.get("/health/config", ctx -> Views.json(ctx, 200, reloads.view()));
            config.routes.get("/health/events", ctx -> Views.json(ctx, 200, gateway.events().view()));
            config.routes.get("/resources", ctx -> {
                QuotaGate gate = gateway.quotas();
                if (gate == null) {
                    Views.error(ctx, 404, "quotas", "no quotas are configured (the quotas: block)");
                } else {
                    Views.json(ctx, 200, gate.view());
                }
            });
            HealthRoutes.install(config.routes, gateway);
            SeriesRoutes.install(config.routes, () -> replica == null ? null : replica.series());
            FailoverRoutes.install(config.routes, gateway, gateway.failovers(), () -> replica == null ? null : replica.store());
            AdminRoutes.install(config.routes, gateway);
            gateway.dashboard().install(config.routes);
        });
    }
}
