package dev.bulwark.server;

import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

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

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private @Nullable BackendClient client;

    /** Makes {@code next} the client this fixture stops when it closes, stopping the one used before. */
    BackendClient use(BackendClient next) {
        stopClient();
        client = next;
        return next;
    }

    private void stopClient() {
        BackendClient previous = client;
        if (previous != null) {
            previous.stop();
        }
        client = null;
    }

    /** An adapter sending {@code method} to {@code url} through {@code client}, timed into this fixture's meters. */
    HttpAdapter adapter(BackendClient client, String method, URI url) {
        return new HttpAdapter("backend", url, client, method, Map.of(), "{}", null, null, null, meters);
    }

    int port() {
        return server.port();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** Answers every held call, then stops the client in use and the server. */
    @Override
    public void close() {
        release.complete("released");
        stopClient();
        server.stop();
    }
}
