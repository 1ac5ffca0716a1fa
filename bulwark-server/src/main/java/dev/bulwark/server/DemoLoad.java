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

/** A gentle built-in load for the demo: one query every 300 ms over loopback, so breakers visibly open and recover. */
final class DemoLoad {
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
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"demo " + count.incrementAndGet() % 20 + "\"}"))
                    .build();
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        }, 1, 300, TimeUnit.MILLISECONDS);
        return timer;
    }
}
