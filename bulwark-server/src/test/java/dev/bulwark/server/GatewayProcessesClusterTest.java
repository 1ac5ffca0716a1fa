package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway processes (separate JVMs started through {@code GatewayMain} with a {@code cluster:} block) on one real
 * redis-server: a breaker tripped on one is adopted OPEN by the other, seen on the other's live dashboard stream, and
 * one team quota is granted once across both.
 */
class GatewayProcessesClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DASHBOARD = Pattern.compile("open the dashboard: (http://[0-9.]+:\\d+)/");
    private static final int QUOTA = 60;
    private static final int LEASE = 10;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScriptedBackend backend = new ScriptedBackend();
    private final List<Process> processes = new ArrayList<>();
    private final String prefix = "procs" + UUID.randomUUID().toString().substring(0, 8);
    private final TestRedis redis = new TestRedis();

    @AfterEach
    void stop() throws Exception {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        backend.close();
        redis.close();
    }

    /** Starts one gateway process and returns its base address, read from the line it prints once it listens. */
    private URI gatewayProcess(Path dir, String redisUrl, String instance) throws Exception {
        Path config = dir.resolve(instance + ".yaml");
        Files.writeString(config, GatewayTestFixtures.clusterWithTeamQuota(redisUrl, instance, prefix, LEASE, QUOTA,
                backend.url("/ok")));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                GatewayMain.class.getName(), config.toString()).redirectErrorStream(true);
        builder.environment().put("BULWARK_PORT", "0");
        builder.environment().put("BULWARK_ADMIN_TOKEN", "secret");
        builder.environment().put("BULWARK_AUDIT_DIR", dir.resolve(instance + "-audit").toString());
        Process process = builder.start();
        processes.add(process);
        CompletableFuture<URI> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> readLines(process.getInputStream(), listening), instance + "-output");
        reader.setDaemon(true);
        reader.start();
        return listening.get(60, TimeUnit.SECONDS);
    }

    private static void readLines(InputStream output, CompletableFuture<URI> listening) {
        StringBuilder seen = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!listening.isDone()) {
                    seen.append(line).append('\n');
                }
                Matcher address = DASHBOARD.matcher(line);
                if (address.find()) {
                    listening.complete(URI.create(address.group(1)));
                }
            }
        } catch (Exception ignored) {
            // the process ended; a gateway that never listened fails below with what it printed
        }
        listening.completeExceptionally(new IllegalStateException("the gateway ended before listening:\n" + seen));
    }

    /** Counts down once the gateway's live stream shows adapter {@code main} OPEN. */
    private CountDownLatch watchForOpen(URI gateway) {
        CountDownLatch open = new CountDownLatch(1);
        client.sendAsync(HttpRequest.newBuilder(gateway.resolve("/dashboard/stream"))
                        .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> response.body()
                        .filter(line -> line.startsWith("data:"))
                        .map(line -> line.substring("data:".length()).strip())
                        .filter(GatewayProcessesClusterTest::showsMainOpen)
                        .findFirst()
                        .ifPresent(found -> open.countDown()));
        return open;
    }

    private static boolean showsMainOpen(String data) {
        try {
            JsonNode adapters = JSON.readTree(data).get("adapters");
            if (adapters == null || !adapters.isArray()) {
                return false;
            }
            for (JsonNode adapter : adapters) {
                if ("main".equals(adapter.path("name").asText()) && "OPEN".equals(adapter.path("state").asText())) {
                    return true;
                }
            }
            return false;
        } catch (Exception notJson) {
            return false;
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void twoGatewayProcessesShareABreakerVerdictAndOneQuota(@TempDir Path dir) throws Exception {
        String shared = redis.url();
        URI a = gatewayProcess(dir, shared, "proc-a");
        URI b = gatewayProcess(dir, shared, "proc-b");
        CountDownLatch openOnB = watchForOpen(b);

        int granted = 0;
        for (int i = 0; i < 3 * QUOTA; i++) {
            HttpResponse<String> answer = send(GatewayTestFixtures.query(i % 2 == 0 ? a : b, "X-Team", "team-a")
                    .header("Content-Type", "application/json"));
            if (answer.statusCode() == 200) {
                granted++;
            } else {
                assertThat(answer.statusCode()).as("a query over the shared quota: " + answer.body()).isEqualTo(429);
            }
        }
        assertThat(granted).as("one quota of %d across two processes: at most one lease over per process (two local "
                + "quotas would grant %d)", QUOTA, 2 * QUOTA).isBetween(QUOTA, QUOTA + 2 * LEASE);

        HttpResponse<String> trip = send(HttpRequest.newBuilder(a.resolve("/health/adapters/main/trip"))
                .header("Authorization", "Bearer secret").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(trip.statusCode()).as(trip.body()).isEqualTo(200);
        assertThat(openOnB.await(20, TimeUnit.SECONDS)).as("the other process adopts the OPEN, seen on its live stream")
                .isTrue();
        JsonNode onB = JSON.readTree(send(HttpRequest.newBuilder(b.resolve("/health/adapters/main")).GET()).body());
        assertThat(onB.get("state").asText()).isEqualTo("OPEN");
    }
}
