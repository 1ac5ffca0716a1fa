package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway process killed with SIGKILL while clients are sending batches loses no acknowledged reading, and keeps
 * each batch whole or not at all: a second process on the same data directory serves every acknowledged batch.
 */
class GatewaySeriesCrashTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WRITERS = 4;
    private static final int PER_BATCH = 50;
    private static final int ACKS_BEFORE_KILL = 24;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Process gateway(Path config) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                GatewayMain.class.getName(), config.toString()).redirectErrorStream(true);
        builder.environment().put("BULWARK_DEMO_LOAD", "off");
        builder.environment().put("BULWARK_PORT", "0");
        return builder.start();
    }

    /** The port the process prints once it listens. */
    private static int port(Process process) throws Exception {
        Pattern listening = Pattern.compile("Bulwark gateway on http://127\\.0\\.0\\.1:(\\d+)");
        CountDownLatch found = new CountDownLatch(1);
        int[] port = new int[1];
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    Matcher matcher = listening.matcher(line);
                    if (matcher.find()) {
                        port[0] = Integer.parseInt(matcher.group(1));
                        found.countDown();
                    }
                }
            } catch (Exception ended) {
                // the process is gone
            }
        }, "gateway-output");
        reader.setDaemon(true);
        reader.start();
        assertThat(found.await(60, TimeUnit.SECONDS)).as("the gateway started").isTrue();
        return port[0];
    }

    private static String batch(int writer, int number) {
        StringBuilder readings = new StringBuilder();
        for (int i = 0; i < PER_BATCH; i++) {
            long timestamp = (number * (long) PER_BATCH + i) * 300L;
            readings.append(i == 0 ? "" : ", ").append("{\"timestamp\": ").append(timestamp)
                    .append(", \"value\": ").append(writer * 1000 + number + i / 1000.0).append('}');
        }
        return "{\"source\": \"primary\", \"readings\": [" + readings + "]}";
    }

    @Test
    void killedMidBatchItLosesNoAcknowledgedReadingAndNoBatchIsHalfStored(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("crash.yaml");
        Files.writeString(config, "storage:\n  data_directory: " + dir.resolve("data") + "\n"
                + "adapters:\n  - name: unused\n    url: http://127.0.0.1:1/unused\n");
        Process first = gateway(config);
        Map<Integer, Set<Integer>> acknowledged = new ConcurrentHashMap<>();
        CountDownLatch enough = new CountDownLatch(ACKS_BEFORE_KILL);
        AtomicBoolean killed = new AtomicBoolean();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            int port = port(first);
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                acknowledged.put(writer, ConcurrentHashMap.newKeySet());
                writers.submit(() -> {
                    for (int number = 0; !killed.get() && number < 10_000; number++) {
                        try {
                            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                    + port + "/series/crash-" + writer + "/readings")).timeout(Duration.ofSeconds(30))
                                    .POST(HttpRequest.BodyPublishers.ofString(batch(writer, number))).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (answer.statusCode() == 200 && JSON.readTree(answer.body()).get("stored").asInt() == PER_BATCH) {
                                acknowledged.get(writer).add(number);
                                enough.countDown();
                            }
                        } catch (Exception connectionLost) {
                            return null; // the gateway was killed with this batch in flight: not acknowledged
                        }
                    }
                    return null;
                });
            }
            assertThat(enough.await(120, TimeUnit.SECONDS)).as("batches were acknowledged").isTrue();
            first.destroyForcibly(); // SIGKILL while the writers are still sending
            killed.set(true);
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            writers.shutdown();
            assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            first.destroyForcibly();
            writers.shutdownNow();
        }

        Process second = gateway(config);
        try {
            int port = port(second);
            int checked = 0;
            for (Map.Entry<Integer, Set<Integer>> writer : acknowledged.entrySet()) {
                HttpResponse<String> read = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/series/crash-" + writer.getKey())).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                Map<Long, Double> stored = new java.util.HashMap<>();
                for (JsonNode point : JSON.readTree(read.body()).get("points")) {
                    stored.put(point.get("timestamp").asLong(), point.get("value").asDouble());
                }
                Set<Integer> batchesSeen = new HashSet<>();
                for (long timestamp : stored.keySet()) {
                    batchesSeen.add((int) (timestamp / 300 / PER_BATCH));
                }
                for (int number : batchesSeen) {
                    List<Long> missing = new ArrayList<>();
                    for (int i = 0; i < PER_BATCH; i++) {
                        long timestamp = (number * (long) PER_BATCH + i) * 300L;
                        if (!stored.containsKey(timestamp)) {
                            missing.add(timestamp);
                        }
                    }
                    assertThat(missing).as("batch %d of writer %d is whole", number, writer.getKey()).isEmpty();
                }
                assertThat(batchesSeen).as("every acknowledged batch of writer %d survived", writer.getKey())
                        .containsAll(writer.getValue());
                for (int number : writer.getValue()) {
                    assertThat(stored.get((long) number * PER_BATCH * 300L)).isEqualTo(writer.getKey() * 1000 + number + 0.0);
                    checked++;
                }
            }
            assertThat(checked).isGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
        } finally {
            second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
