package dev.bulwark.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Backends that fail in interesting ways, so the gateway's breakers and fallbacks visibly work: {@code /fast}
 * answers at once, {@code /flaky} fails with 500 four times in ten, {@code /slow} takes 1.5 s half of the
 * time (longer than the gateway's per-adapter timeout), {@code /broken} always fails, {@code /backup} is the
 * alternative provider a quota switches to, and {@code POST /echo} returns
 * the body and API key it received. {@code /spot/a}, {@code /spot/b} and {@code /spot/c} are the instances of a
 * failover group: each answers until {@code POST /spot/{id}/terminate} terminates it (then HTTP 503, its health check
 * failing too), which brings the other terminated ones back, as new instances would. Slow answers are
 * delayed on a timer, never by sleeping a thread. Seeded, so a demo run is repeatable. The demo gateways' data
 * directories are theirs too: closing the backends deletes them.
 */
public final class DemoBackends implements AutoCloseable {
    /** The instances behind {@code /spot/{id}}. */
    static final List<String> SPOT_INSTANCES = List.of("a", "b", "c");
    private final Random random = new Random(7);
    private final Set<String> terminated = ConcurrentHashMap.newKeySet();
    private final Javalin app;
    private final TemporaryDirectories dataDirectories = new TemporaryDirectories();

    private DemoBackends(int port) {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.get("/fast", ctx -> answer(ctx, 200, "fast", 0));
            config.routes.get("/flaky", ctx -> answer(ctx, draw() < 0.4 ? 500 : 200, "flaky", 30));
            config.routes.get("/slow", ctx -> answer(ctx, 200, "slow", draw() < 0.5 ? 1_500 : 50));
            config.routes.get("/broken", ctx -> answer(ctx, 500, "broken", 0));
            config.routes.get("/backup", ctx -> answer(ctx, 200, "backup", 0));
            config.routes.get("/spot/{id}", ctx -> spot(ctx, ctx.pathParam("id")));
            config.routes.post("/spot/{id}/terminate", ctx -> terminate(ctx, ctx.pathParam("id")));
            config.routes.post("/echo", ctx -> ctx.result("echo key=" + ctx.header("X-Api-Key") + " body=" + ctx.body()));
        }).start("127.0.0.1", port);
    }

    /** Starts the backends on {@code port} (0 for any free port) on the loopback address. */
    public static DemoBackends start(int port) {
        return new DemoBackends(port);
    }

    private void spot(Context ctx, String id) {
        if (!SPOT_INSTANCES.contains(id)) {
            ctx.status(404).result("no spot instance '" + id + "': there are " + SPOT_INSTANCES);
        } else if (terminated.contains(id)) {
            ctx.status(503).result("spot " + id + " was terminated");
        } else {
            answer(ctx, 200, "spot " + id, 0);
        }
    }

    private synchronized void terminate(Context ctx, String id) {
        if (!SPOT_INSTANCES.contains(id)) {
            ctx.status(404).result("no spot instance '" + id + "': there are " + SPOT_INSTANCES);
            return;
        }
        terminated.clear();
        terminated.add(id);
        ctx.result("spot " + id + " terminated");
    }

    private synchronized double draw() {
        return random.nextDouble();
    }

    /**
     * A fresh temporary directory for a demo gateway's data (its database and queue), deleted with everything in it
     * by {@link #close()}: close the gateways that use it first.
     */
    Path dataDirectory() {
        return dataDirectories.create("bulwark-demo-data");
    }

    /** The base address, e.g. {@code http://127.0.0.1:9100}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + app.port());
    }

    private static void answer(Context ctx, int status, String backend, long delayMillis) {
        String query = ctx.queryParam("q") == null ? "" : ctx.queryParam("q");
        String body = status == 200 ? backend + " answer to '" + query + "'" : backend + " failed";
        if (delayMillis == 0) {
            ctx.status(status).result(body);
            return;
        }
        ctx.future(() -> CompletableFuture.runAsync(() -> ctx.status(status).result(body),
                CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS)));
    }

    @Override
    public void close() {
        app.stop();
        dataDirectories.deleteAll();
    }
}
