package dev.bulwark.server;

import io.javalin.Javalin;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real backend on loopback for the backend client's tests. {@code /echo?q=x} answers {@code x}; {@code /chunked?q=n}
 * answers {@code n} two-byte characters in parts; {@code /hold} answers only once {@link #release} completes. It
 * counts the requests it got and the client ports they came from (one port per connection).
 */
final class LoopbackBackend implements AutoCloseable {
    final Set<Integer> remotePorts = ConcurrentHashMap.newKeySet();
    final AtomicInteger requests = new AtomicInteger();
    final CountDownLatch holdArrived = new CountDownLatch(1);
    final CompletableFuture<String> release = new CompletableFuture<>();
    private final Javalin server = Javalin.create(config -> {
        config.startup.showJavalinBanner = false;
        config.routes.before(ctx -> {
            remotePorts.add(ctx.req().getRemotePort());
            requests.incrementAndGet();
        });
        config.routes.get("/echo", ctx -> ctx.result(ctx.queryParam("q")));
        config.routes.get("/chunked", ctx -> ctx.result(new java.io.ByteArrayInputStream(
                "é".repeat(Integer.parseInt(ctx.queryParam("q"))).getBytes(StandardCharsets.UTF_8))));
        config.routes.get("/hold", ctx -> {
            holdArrived.countDown();
            ctx.future(() -> release.thenAccept(ctx::result));
        });
    }).start("127.0.0.1", 0);

    int port() {
        return server.port();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** Answers every held call, then stops the server. */
    @Override
    public void close() {
        release.complete("released");
        server.stop();
    }
}
