package dev.bulwark.server;

import dev.bulwark.time.Clock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The demo's two agents, a primary and a replica source, reporting one series ({@value #SERIES}) every 300 s of
 * series time through {@code POST /series/{name}/readings}. Each {@link #tick()} sends the next {@value #STEPS_PER_TICK}
 * steps that are not in the future, so the agents first catch up from their start (the demo starts them a day back)
 * and then keep pace with the clock. The readings are scripted per step (24 steps to a cycle) to show every rule:
 * the replica usually within 0.2 % of the primary (deduplicated), 2 % off at steps 3 and 20 (averaged), both silent
 * at steps 8 and 9 (a 900 s gap, interpolated), one source alone at steps 14 and 15, and every fourth cycle both
 * silent from 17 to 22 (a 2100 s gap, left unfilled).
 */
final class DemoAgents {
    /** The series the agents report. */
    static final String SERIES = "demo-pool";
    static final int STEPS_PER_TICK = 6;
    static final long STEP_SECONDS = 300;

    private final HttpClient client;
    private final URI gateway;
    private final Clock clock;
    private final long firstSecond;
    private long nextStep;

    /** Agents whose first reading is at {@code firstSecond} (epoch seconds). */
    DemoAgents(HttpClient client, URI gateway, Clock clock, long firstSecond) {
        this.client = client;
        this.gateway = gateway;
        this.clock = clock;
        this.firstSecond = firstSecond;
    }

    /** Sends the next steps' readings, the primary's batch then the replica's; completes once both are stored. */
    CompletableFuture<Void> tick() {
        List<String> primary = new ArrayList<>();
        List<String> replica = new ArrayList<>();
        synchronized (this) {
            long now = clock.wallMillis() / 1000;
            for (int i = 0; i < STEPS_PER_TICK && firstSecond + nextStep * STEP_SECONDS <= now; i++, nextStep++) {
                readings(nextStep, primary, replica);
            }
        }
        return post("primary", primary).thenCompose(done -> post("replica", replica));
    }

    private void readings(long step, List<String> primary, List<String> replica) {
        long cycle = step / 24;
        long at = step % 24;
        if (at == 8 || at == 9 || (cycle % 4 == 3 && at >= 17 && at <= 22)) {
            return;
        }
        long timestamp = firstSecond + step * STEP_SECONDS;
        double value = 0.050 + 0.005 * Math.sin(step * Math.PI / 12);
        double replicaValue = value * (at == 3 || at == 20 ? 1.02 : 1.002);
        if (at != 15) {
            primary.add(reading(timestamp, value));
        }
        if (at != 14) {
            replica.add(reading(timestamp, replicaValue));
        }
    }

    private static String reading(long timestamp, double value) {
        return String.format(Locale.ROOT, "{\"timestamp\": %d, \"value\": %.6f}", timestamp, value);
    }

    private CompletableFuture<Void> post(String source, List<String> readings) {
        if (readings.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        String body = "{\"source\": \"" + source + "\", \"readings\": [" + String.join(", ", readings) + "]}";
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve("/series/" + SERIES + "/readings"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAccept(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the " + source + " agent's batch was answered " + response.statusCode()
                        + ": " + response.body());
            }
        });
    }
}
