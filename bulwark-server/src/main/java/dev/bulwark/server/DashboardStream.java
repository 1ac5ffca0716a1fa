package dev.bulwark.server;

import dev.bulwark.time.Scheduler;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * {@code GET /dashboard/stream}: the dashboard's server-sent events. A new stream first gets {@code history} (the
 * samples kept per adapter) and a {@code snapshot} (everything the page shows); then, every tick, a {@code sample}
 * and a {@code snapshot}, and a {@code snapshot} as soon as something changes (a circuit, the mode, an admin action).
 * At most {@value #MAX_STREAMS} streams are open at once (a 429 JSON answer beyond). A stream whose browser went
 * away is closed at the next write that fails, so the count of open streams returns to what is connected. Writes run
 * on one thread of their own, never on the caller's. This class is thread-safe.
 */
final class DashboardStream implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DashboardStream.class.getName());
    static final int MAX_STREAMS = 32;

    /** What a stream sends: the history and the snapshot as JSON text, and a tick's samples. */
    interface Content {
        String history();

        String snapshot();

        /** Closes a sampling interval; returns the new samples as JSON text. */
        String sample();
    }

    private final Content content;
    private final Scheduler scheduler;
    private final Duration tick;
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final Object countLock = new Object();
    private int open;
    private final AtomicBoolean pushPending = new AtomicBoolean();
    private static final java.util.concurrent.atomic.AtomicInteger INSTANCES = new java.util.concurrent.atomic.AtomicInteger();
    private final String senderName = "bulwark-dashboard-stream-" + INSTANCES.incrementAndGet();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, senderName);
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;
    private volatile Scheduler.@org.jspecify.annotations.Nullable Cancellable next;

    DashboardStream(Supplier<String> history, Supplier<String> snapshot, Supplier<String> sample, Scheduler scheduler,
                    Duration tick) {
        this.content = new Content() {
            @Override
            public String history() {
                return history.get();
            }

            @Override
            public String snapshot() {
                return snapshot.get();
            }

            @Override
            public String sample() {
                return sample.get();
            }
        };
        this.scheduler = scheduler;
        this.tick = tick;
    }

    /** Starts the tick. */
    void start() {
        next = scheduler.schedule(tick, this::onTick);
    }

    private void onTick() {
        if (closed) {
            return;
        }
        try {
            String samples = content.sample();
            send(() -> {
                broadcast("sample", samples);
                broadcast("snapshot", content.snapshot());
            });
        } catch (RuntimeException failed) {
            LOG.log(System.Logger.Level.WARNING, "dashboard tick failed: " + Views.describe(failed));
        } finally {
            if (!closed) {
                next = scheduler.schedule(tick, this::onTick);
            }
        }
    }

    /** Sends a fresh snapshot to every stream soon; pushes asked for while one is pending are one push. */
    void push() {
        if (!closed && pushPending.compareAndSet(false, true)) {
            send(() -> {
                pushPending.set(false);
                broadcast("snapshot", content.snapshot());
            });
        }
    }

    private void send(Runnable task) {
        try {
            sender.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // closing: nothing more to send
        }
    }

    private void broadcast(String event, String data) {
        for (SseClient client : clients) {
            try {
                client.sendEvent(event, data);
            } catch (RuntimeException gone) {
                client.close();
            }
        }
    }

    /**
     * Opens a stream, or answers 406 to a client that does not accept {@code text/event-stream}, 429 when
     * {@value #MAX_STREAMS} are open, 503 once closing.
     */
    void handle(Context ctx) throws Exception {
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            // Javalin would answer an empty 200 and never open the stream (nor close our count of it)
            Views.error(ctx, 406, "Accept", "this is a server-sent event stream: send 'Accept: text/event-stream' "
                    + "(a browser's EventSource does)");
            return;
        }
        synchronized (countLock) {
            if (closed || open >= MAX_STREAMS) {
                Views.error(ctx, closed ? 503 : 429, "stream", closed ? "the gateway is shutting down"
                        : "at most " + MAX_STREAMS + " dashboard streams may be open at once; close a dashboard tab");
                return;
            }
            open++;
        }
        AtomicBoolean counted = new AtomicBoolean(true);
        Runnable release = () -> {
            if (counted.compareAndSet(true, false)) {
                synchronized (countLock) {
                    open--;
                    countLock.notifyAll();
                }
            }
        };
        try {
            new SseHandler(client -> {
                client.onClose(() -> {
                    clients.remove(client);
                    release.run();
                });
                send(() -> {
                    client.sendEvent("history", content.history());
                    client.sendEvent("snapshot", content.snapshot());
                    if (!client.terminated()) {
                        clients.add(client);
                    }
                    if (closed || client.terminated()) {
                        clients.remove(client);
                        client.close();
                    }
                });
                client.keepAlive();
            }).handle(ctx);
        } catch (Exception | Error failed) {
            release.run();
            throw failed;
        }
    }

    /** The name of the one thread that writes to the streams. */
    String senderName() {
        return senderName;
    }

    /** Streams open now. */
    int openStreams() {
        synchronized (countLock) {
            return open;
        }
    }

    /** Waits up to {@code bound} for at most {@code count} streams to be open; returns whether they were. */
    boolean awaitOpenAtMost(int count, Duration bound) throws InterruptedException {
        dev.bulwark.time.Clock clock = dev.bulwark.time.Clock.system();
        long deadline = clock.nanoTime() + bound.toNanos();
        synchronized (countLock) {
            while (open > count) {
                long left = deadline - clock.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(countLock, left);
            }
            return true;
        }
    }

    @Override
    public void close() {
        closed = true;
        Scheduler.Cancellable pending = next;
        if (pending != null) {
            pending.cancel();
        }
        sender.shutdown();
        try {
            if (!sender.awaitTermination(2, TimeUnit.SECONDS)) {
                sender.shutdownNow();
            }
        } catch (InterruptedException interrupted) {
            sender.shutdownNow();
            Thread.currentThread().interrupt();
        }
        clients.forEach(SseClient::close);
        clients.clear();
    }
}
