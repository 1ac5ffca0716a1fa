package dev.bulwark.server;

import io.javalin.Javalin;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real HTTP backends on one port, {@code /b/{name}}: each answers {@code answer from <name>} until the test marks it
 * down, then HTTP 503 (its health check fails and its calls fail).
 */
final class SwitchableBackends implements AutoCloseable {
    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private final Javalin app;

    SwitchableBackends() {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.get("/b/{name}", ctx -> {
                String name = ctx.pathParam("name");
                if (down.contains(name)) {
                    ctx.status(503).result(name + " is down");
                } else {
                    ctx.result("answer from " + name);
                }
            });
        }).start("127.0.0.1", 0);
    }

    URI url(String name) {
        return URI.create("http://127.0.0.1:" + app.port() + "/b/" + name);
    }

    void down(String... names) {
        down.addAll(Set.of(names));
    }

    void up(String... names) {
        down.removeAll(Set.of(names));
    }

    @Override
    public void close() {
        app.stop();
    }
}
