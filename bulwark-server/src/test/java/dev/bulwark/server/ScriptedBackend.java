package dev.bulwark.server;

import io.javalin.Javalin;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP backend whose answers the test controls: {@code /ok} answers at once, {@code /fail} answers 500,
 * {@code /hold} answers only when the test releases it, {@code /first-holds} holds its first call and answers
 * the others at once, and {@code /toggle} answers with the status the test sets. Counts the calls of each path.
 */
final class ScriptedBackend implements AutoCloseable {
    private final Javalin app;
    private final ConcurrentLinkedQueue<CompletableFuture<String>> held = new ConcurrentLinkedQueue<>();
    private final Semaphore arrivals = new Semaphore(0);
    private final AtomicInteger okCalls = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> requestIds = new ConcurrentLinkedQueue<>();
    private final AtomicInteger failCalls = new AtomicInteger();
    private final AtomicInteger firstHoldsCalls = new AtomicInteger();
    private final AtomicInteger toggleStatus = new AtomicInteger(200);

    ScriptedBackend() {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.before(ctx -> requestIds.add(String.valueOf(ctx.header("X-Request-Id"))));
            config.routes.get("/ok", ctx -> {
                okCalls.incrementAndGet();
                ctx.result("ok answer to '" + ctx.queryParam("q") + "'");
            });
            config.routes.get("/fail", ctx -> {
                failCalls.incrementAndGet();
                ctx.status(500).result("failed");
            });
            config.routes.get("/hold", ctx -> ctx.future(() -> hold().thenAccept(ctx::result)));
            config.routes.get("/toggle", ctx -> ctx.status(toggleStatus.get()).result("toggled"));
            config.routes.get("/first-holds", ctx -> {
                if (firstHoldsCalls.incrementAndGet() == 1) {
                    ctx.future(() -> hold().thenAccept(ctx::result));
                } else {
                    ctx.result("quick answer");
                }
            });
        }).start("127.0.0.1", 0);
    }

    private CompletableFuture<String> hold() {
        CompletableFuture<String> answer = new CompletableFuture<>();
        held.add(answer);
        arrivals.release();
        return answer;
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }

    /** Waits (bounded) until {@code count} more held calls have arrived. */
    void awaitHeld(int count) throws InterruptedException {
        if (!arrivals.tryAcquire(count, 10, TimeUnit.SECONDS)) {
            throw new AssertionError("held calls did not arrive");
        }
    }

    /** Answers every held call with {@code body}. */
    void releaseAll(String body) {
        CompletableFuture<String> next;
        while ((next = held.poll()) != null) {
            next.complete(body);
        }
    }

    int okCalls() {
        return okCalls.get();
    }

    /** The {@code X-Request-Id} of every call received, in order. */
    java.util.List<String> requestIds() {
        return java.util.List.copyOf(requestIds);
    }

    /** The status {@code /toggle} answers with from now on (200 at first). */
    void toggle(int status) {
        toggleStatus.set(status);
    }

    int port() {
        return app.port();
    }

    int firstHoldsCalls() {
        return firstHoldsCalls.get();
    }

    int failCalls() {
        return failCalls.get();
    }

    @Override
    public void close() {
        releaseAll("closing");
        app.stop();
    }
}
