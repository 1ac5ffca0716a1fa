package dev.bulwark.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard's routes: {@code GET /} the page, {@code GET /dashboard/assets/{file}} its script, style and the uPlot
 * chart library (from the uPlot WebJar on the class path: nothing is fetched from elsewhere), {@code GET
 * /dashboard/snapshot} what the page shows as one JSON document, and {@code GET /dashboard/stream} the live
 * server-sent events ({@link DashboardStream}). The page's controls call the admin endpoints with the token the user
 * types in.
 */
final class DashboardRoutes {
    /** The uPlot WebJar's version: keep in step with the dependency in bulwark-server's pom. */
    static final String UPLOT_VERSION = "1.6.30";
    private static final String OWN = "/dev/bulwark/server/dashboard/";
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";

    /** An asset: where it is on the class path and its content type. */
    private record Asset(String resource, String contentType) {
    }

    static final Map<String, Asset> ASSETS = Map.of(
            "app.js", new Asset(OWN + "app.js", "text/javascript; charset=utf-8"),
            "app.css", new Asset(OWN + "app.css", "text/css; charset=utf-8"),
            "uPlot.iife.min.js", new Asset(UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
            "uPlot.min.css", new Asset(UPLOT + "uPlot.min.css", "text/css; charset=utf-8"));

    private DashboardRoutes() {
    }

    static void install(RoutesConfig routes, DashboardView view, DashboardStream stream) {
        byte[] page = read(OWN + "index.html");
        Map<String, byte[]> assets = new java.util.HashMap<>();
        ASSETS.forEach((name, asset) -> assets.put(name, read(asset.resource())));
        routes.get("/", ctx -> ctx.contentType("text/html; charset=utf-8").header("Cache-Control", "no-cache").result(page));
        routes.get("/dashboard/assets/{file}", ctx -> asset(ctx, assets));
        routes.get("/dashboard/snapshot", ctx -> Views.json(ctx, 200, view.snapshotView()));
        routes.get("/dashboard/stream", stream::handle);
    }

    private static void asset(Context ctx, Map<String, byte[]> assets) {
        String file = ctx.pathParam("file");
        byte[] bytes = assets.get(file);
        if (bytes == null) {
            Views.error(ctx, 404, "file", "no dashboard asset '" + ReadingsBatchParser.echo(file) + "'; assets: "
                    + new java.util.TreeSet<>(assets.keySet()));
            return;
        }
        ctx.contentType(java.util.Objects.requireNonNull(ASSETS.get(file), file).contentType()).header("Cache-Control", "no-cache").result(bytes);
    }

    private static byte[] read(String resource) {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("dashboard resource " + resource + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
