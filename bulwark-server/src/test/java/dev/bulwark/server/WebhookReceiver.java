package dev.bulwark.server;

import io.javalin.Javalin;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A monitoring system's webhook for tests: {@code POST /hook} records the body; the first {@code failFirst} calls
 * answer 500; while holding, calls get no answer until {@link #releaseHeld()}.
 */
final class WebhookReceiver implements AutoCloseable {
    private final Javalin app;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final Semaphore arrivals = new Semaphore(0);
    private final ConcurrentLinkedQueue<CompletableFuture<String>> held = new ConcurrentLinkedQueue<>();
    private volatile boolean holding;

    WebhookReceiver() {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.post("/hook", ctx -> {
                bodies.add(ctx.body());
                arrivals.release();
                if (failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                    ctx.status(500).result("down");
                } else if (holding) {
                    CompletableFuture<String> answer = new CompletableFuture<>();
                    held.add(answer);
                    ctx.future(() -> answer.thenAccept(ctx::result));
                } else {
                    ctx.result("ok");
                }
            });
        }).start("127.0.0.1", 0);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + app.port() + "/hook");
    }

    void failFirst(int calls) {
        failuresLeft.set(calls);
    }

    void hold() {
        holding = true;
    }

    void releaseHeld() {
        holding = false;
        CompletableFuture<String> next;
        while ((next = held.poll()) != null) {
            next.complete("ok");
        }
    }

    /** Waits (bounded) for {@code count} more calls. */
    void awaitCalls(int count) throws InterruptedException {
        if (!arrivals.tryAcquire(count, 10, TimeUnit.SECONDS)) {
            throw new AssertionError("the webhook was not called " + count + " more times; bodies so far: " + bodies);
        }
    }

    List<String> bodies() {
        return List.copyOf(bodies);
    }

    @Override
    public void close() {
        releaseHeld();
        app.stop();
    }
}
