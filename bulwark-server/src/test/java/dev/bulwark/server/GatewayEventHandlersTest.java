package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.mode.Mode;
import dev.bulwark.server.events.GatewayEvent;
import dev.bulwark.time.ManualClock;
import dev.bulwark.yaml.ConfigFileException;
import dev.bulwark.yaml.ConfigWatcher;
import dev.bulwark.yaml.GatewayConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code event_handler} over real HTTP: the JSON-lines log (rotated, bounded), the webhook (retries on the injected
 * clock, a bounded queue that never blocks a query, failures counted and shown), a custom class by name, an adapter's
 * own handler, and the events themselves: circuit transitions, mode changes, fallbacks, reloads.
 */
class GatewayEventHandlersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScriptedBackend backend = new ScriptedBackend();
    private final WebhookReceiver webhook = new WebhookReceiver();
    private final ManualClock clock = new ManualClock();
    private Gateway gateway;
    @TempDir
    Path dir;

    @BeforeEach
    void clearRecorded() {
        RecordingListener.clear();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        webhook.close();
        backend.close();
    }

    private void start(String yaml) {
        gateway = Gateway.start(GatewayConfigLoader.parse("events.yaml", yaml), 0, "secret", clock);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer secret")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private static String common() {
        return """
                  failure_threshold: 2
                  retry:
                    enabled: false
                  health_monitoring:
                    enabled: false
                """;
    }

    @Test
    void theDefaultHandlerWritesCircuitModeAndFallbackEventsAsJsonLinesAndAnAdaptersOwnHandlerTakesItsCircuit()
            throws Exception {
        Path log = dir.resolve("logs/events.jsonl");
        start("fault_tolerance:\n" + common() + "  event_handler:\n    type: default\n    file: " + log + "\nadapters:\n"
                + "  - name: bad\n    url: " + backend.url("/fail") + "\n"
                + "  - name: own\n    url: " + backend.url("/fail") + "\n    fault_tolerance:\n      event_handler:\n"
                + "        type: custom\n        class: " + RecordingListener.class.getName() + "\n");

        send("POST", "/query", "{\"query\": \"q\"}");
        send("POST", "/query", "{\"query\": \"q\"}");
        send("POST", "/mode/force", "{\"mode\": \"EMERGENCY\", \"reason\": \"drill\"}");

        List<JsonNode> events = lines(log);
        assertThat(events).extracting(event -> event.get("type").asText())
                .containsExactly("fallback", "circuit_open", "fallback", "mode_change");
        JsonNode open = events.get(1);
        assertThat(open.get("endpoint").asText()).isEqualTo("bad");
        assertThat(open.get("state_transition").asText()).isEqualTo("CLOSED -> OPEN");
        assertThat(open.get("reason").asText()).isEqualTo("failure_threshold_exceeded");
        assertThat(open.get("fail_count").asInt()).isEqualTo(2);
        assertThat(open.get("success_rate").asDouble()).isEqualTo(0.0);
        assertThat(open.get("at").asText()).endsWith("Z");
        assertThat(events.get(0).get("served_by").asText()).isEqualTo("none");
        assertThat(events.get(0).get("failed_adapters")).extracting(JsonNode::asText).containsExactly("bad", "own");
        assertThat(events.get(3).get("to").asText()).isEqualTo("EMERGENCY");
        assertThat(events.get(3).get("trigger").asText()).isEqualTo("MANUAL");
        assertThat(events.get(3).get("reason").asText()).contains("drill");
        // the adapter with its own handler: its transition went there, not to the global log
        assertThat(RecordingListener.EVENTS).singleElement().isInstanceOfSatisfying(GatewayEvent.CircuitTransition.class,
                transition -> assertThat(transition.adapter()).isEqualTo("own"));
        JsonNode handlers = JSON.readTree(send("GET", "/health/events", null).body());
        assertThat(handlers.get("global").asText()).isEqualTo("default:" + log);
        assertThat(handlers.get("adapters").get("own").asText()).isEqualTo("custom:" + RecordingListener.class.getName());
    }

    @Test
    void theLogRotatesAndStaysBounded() throws Exception {
        Path log = dir.resolve("events.jsonl");
        start("fault_tolerance:\n" + common() + "  event_handler:\n    type: default\n    file: " + log
                + "\n    max_file_bytes: 1024\n    max_files: 2\nadapters:\n  - name: bad\n    url: " + backend.url("/fail") + "\n");
        String last = "";
        for (int i = 0; i < 40; i++) {
            last = "query-" + i;
            send("POST", "/query", "{\"query\": \"" + last + "\"}");
        }

        assertThat(log.resolveSibling("events.jsonl.1")).exists();
        assertThat(log.resolveSibling("events.jsonl.2")).exists();
        assertThat(log.resolveSibling("events.jsonl.3")).doesNotExist();
        for (Path file : List.of(log, log.resolveSibling("events.jsonl.1"), log.resolveSibling("events.jsonl.2"))) {
            assertThat(Files.size(file)).isPositive().isLessThanOrEqualTo(1024);
            assertThat(lines(file)).allSatisfy(event -> assertThat(event.get("type").asText()).isNotBlank());
        }
        List<JsonNode> newest = lines(log);
        assertThat(newest.get(newest.size() - 1).get("type").asText()).isEqualTo("fallback");
        long kept = lines(log).size() + lines(log.resolveSibling("events.jsonl.1")).size()
                + lines(log.resolveSibling("events.jsonl.2")).size();
        assertThat(kept).as("older events were dropped with the oldest file").isLessThan(41);
    }

    @Test
    void theWebhookRetriesWithBackoffOnTheClockAndCountsWhatHappened() throws Exception {
        webhook.failFirst(1);
        start("fault_tolerance:\n" + common() + "  event_handler:\n    type: monitoring\n    url: " + webhook.url()
                + "\n    max_retries: 2\n    initial_backoff: 10s\nadapters:\n  - name: ok\n    url: " + backend.url("/ok") + "\n");
        WebhookEventSink sink = gateway.events().webhook("monitoring:" + webhook.url()).orElseThrow();

        send("POST", "/mode/force", "{\"mode\": \"DEGRADED\", \"reason\": \"drill\"}");
        assertThat(sink.awaitAttempts(1, Duration.ofSeconds(10))).isTrue();
        assertThat(webhook.bodies()).hasSize(1);
        JsonNode counts = JSON.readTree(send("GET", "/health/events", null).body()).get("handlers").get(0);
        assertThat(counts.get("retried").asLong()).isEqualTo(1);
        assertThat(counts.get("delivered").asLong()).isZero();

        clock.advance(Duration.ofSeconds(9));
        assertThat(webhook.bodies()).as("the retry waits for its backoff").hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(sink.awaitAttempts(1, Duration.ofSeconds(10))).isTrue();

        assertThat(webhook.bodies()).hasSize(2);
        JsonNode delivered = JSON.readTree(webhook.bodies().get(1));
        assertThat(delivered.get("type").asText()).isEqualTo("mode_change");
        assertThat(delivered.get("to").asText()).isEqualTo("DEGRADED");
        assertThat(delivered.get("reason").asText()).contains("drill");
        counts = JSON.readTree(send("GET", "/health/events", null).body()).get("handlers").get(0);
        assertThat(counts.get("delivered").asLong()).isEqualTo(1);
        assertThat(send("GET", "/metrics", null).body()).contains("bulwark_event_handler_events_total{handler=\"monitoring:"
                + webhook.url() + "\",result=\"delivered\",type=\"monitoring\"} 1.0");
    }

    @Test
    void aStalledWebhookNeverBlocksAQueryAndWhatDoesNotFitItsQueueIsDroppedAndCounted() throws Exception {
        webhook.hold();
        start("fault_tolerance:\n" + common() + "  event_handler:\n    type: monitoring\n    url: " + webhook.url()
                + "\n    queue_size: 2\n    max_retries: 0\nadapters:\n  - name: ok\n    url: " + backend.url("/ok") + "\n");
        send("POST", "/mode/force", "{\"mode\": \"EMERGENCY\"}");
        webhook.awaitCalls(1);

        // EMERGENCY without a cached answer: each query is a fallback event; the second finds the queue full
        assertThat(send("POST", "/query", "{\"query\": \"a\"}").statusCode()).isEqualTo(503);
        assertThat(send("POST", "/query", "{\"query\": \"b\"}").statusCode()).isEqualTo(503);

        JsonNode counts = JSON.readTree(send("GET", "/health/events", null).body()).get("handlers").get(0);
        assertThat(counts.get("dropped").asLong()).isEqualTo(1);
        assertThat(gateway.events().webhook("monitoring:" + webhook.url()).orElseThrow().queued()).isEqualTo(2);
        webhook.releaseHeld();
    }

    @Test
    void aWebhookThatKeepsFailingIsGivenUpAndCountedAsFailed() throws Exception {
        webhook.failFirst(100);
        start("fault_tolerance:\n" + common() + "  event_handler:\n    type: monitoring\n    url: " + webhook.url()
                + "\n    max_retries: 1\n    initial_backoff: 1s\nadapters:\n  - name: ok\n    url: " + backend.url("/ok") + "\n");
        WebhookEventSink sink = gateway.events().webhook("monitoring:" + webhook.url()).orElseThrow();
        send("POST", "/mode/force", "{\"mode\": \"EMERGENCY\"}");
        assertThat(sink.awaitAttempts(1, Duration.ofSeconds(10))).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(sink.awaitAttempts(1, Duration.ofSeconds(10))).isTrue();

        JsonNode counts = JSON.readTree(send("GET", "/health/events", null).body()).get("handlers").get(0);
        assertThat(counts.get("failed").asLong()).isEqualTo(1);
        assertThat(counts.get("retried").asLong()).isEqualTo(1);
        assertThat(sink.queued()).isZero();
    }

    @Test
    void aCustomHandlerGetsTypedEventsAndAReloadIsAnEvent() throws Exception {
        Path file = dir.resolve("gateway.yaml");
        String yaml = "fault_tolerance:\n" + common() + "  event_handler:\n    type: custom\n    class: "
                + RecordingListener.class.getName() + "\nadapters:\n  - name: ok\n    url: " + backend.url("/ok") + "\n";
        Files.writeString(file, yaml);
        gateway = Gateway.start(GatewayConfigLoader.load(file), 0, "secret", clock);
        send("POST", "/mode/force", "{\"mode\": \"EMERGENCY\"}");
        assertThat(RecordingListener.EVENTS).singleElement().isInstanceOfSatisfying(GatewayEvent.ModeChanged.class,
                changed -> assertThat(changed.change().to()).isEqualTo(Mode.EMERGENCY));

        try (ConfigWatcher watcher = gateway.watch(file, clock, Duration.ofSeconds(2))) {
            Files.writeString(file, yaml.replace("failure_threshold: 2", "failure_threshold: 3"));
            clock.advance(Duration.ofSeconds(2));
            Files.writeString(file, yaml.replace("failure_threshold: 2", "failure_threshold: -1"));
            clock.advance(Duration.ofSeconds(2));
        }

        assertThat(RecordingListener.EVENTS).filteredOn(GatewayEvent.Reloaded.class::isInstance)
                .extracting(event -> event.toJson().get("result")).containsExactly("applied", "refused");
    }

    @Test
    void aMissingCustomClassFailsAtLoadNamingItAndAClassThatIsNoListenerFailsAtStart() {
        assertThatThrownBy(() -> GatewayConfigLoader.parse("events.yaml", """
                fault_tolerance:
                  event_handler:
                    type: custom
                    class: com.example.NoSuchListener
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class).hasMessage("events.yaml:4: fault_tolerance.event_handler.class "
                + "must name a class on the class path, was com.example.NoSuchListener (not found)");
        assertThatThrownBy(() -> start("""
                fault_tolerance:
                  event_handler:
                    type: custom
                    class: java.lang.String
                adapters:
                  - name: a
                    url: http://127.0.0.1:1/
                """)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("event_handler.class 'java.lang.String' does not implement "
                        + "dev.bulwark.server.events.GatewayEventListener");
    }
}
