package dev.bulwark.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A gentle built-in load for the demo: one query every 300 ms over loopback, so breakers visibly open and recover.
 * During the first {@value #BATCH_SECONDS} s of every minute the queries come from the team {@code batch-job}
 * ({@code X-Team}), whose quota then runs through CRITICAL (a provider switch) to EXHAUSTED (queued for later) and
 * recovers in the quiet rest of the minute; the others come from {@code demo-load}.
 */
final class DemoLoad {
    /** How long into each minute the load speaks for the batch-job team. */
    static final int BATCH_SECONDS = 20;
    private static final dev.bulwark.time.Clock CLOCK = dev.bulwark.time.Clock.system();

    private DemoLoad() {
    }

    static ScheduledExecutorService start(int gatewayPort) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bulwark-demo-load");
            thread.setDaemon(true);
            return thread;
        });
        AtomicLong count = new AtomicLong();
        timer.scheduleAtFixedRate(() -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + "/query"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json").header("X-Team", team())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"demo " + count.incrementAndGet() % 20 + "\"}"))
                    .build();
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        }, 1, 300, TimeUnit.MILLISECONDS);
        return timer;
    }

    /** The team the load speaks for now. */
    static String team() {
        return (CLOCK.wallMillis() / 1000) % 60 < BATCH_SECONDS ? "batch-job" : "demo-load";
    }
}
