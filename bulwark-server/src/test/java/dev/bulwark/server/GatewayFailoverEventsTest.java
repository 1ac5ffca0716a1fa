package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.mode.ModeOrchestrator;
import dev.bulwark.server.events.GatewayEvent;
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
 * Failover groups' events reach the gateway's event handlers over real HTTP: a signal received, a standby ready, a
 * switch and a failed failover, each with its group, from, to, reason and duration, typed for a custom handler and
 * as JSON lines for the default one.
 */
class GatewayFailoverEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final SwitchableBackends backends = new SwitchableBackends();
    @TempDir
    Path data;
    private Gateway gateway;

    @BeforeEach
    void clearRecorded() {
        RecordingListener.clear();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        backends.close();
    }

    private void start(String handler) {
        String yaml = "fault_tolerance:\n  failure_threshold: 2\n  retry:\n    enabled: false\n"
                + "  health_monitoring:\n    enabled: false\n  event_handler:\n" + handler
                + "storage:\n  data_directory: " + data.resolve("db") + "\n"
                + "adapters:\n  - name: prices\n    url: " + backends.url("primary") + "\n"
                + "failover_groups:\n  - name: prices-group\n    adapter: prices\n    mode: auto\n"
                + "    standbys: [" + backends.url("standby1") + ", " + backends.url("standby2") + "]\n";
        gateway = Gateway.start(GatewayConfigLoader.parse("failover-events.yaml", yaml), 0, "secret",
                ModeOrchestrator.builder("gateway").evaluationInterval(Duration.ofHours(1)).build());
    }

    private void admin(String path, String body, int status) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer secret")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " -> " + response.body()).isEqualTo(status);
    }

    private static GatewayEvent.Failover awaitFailover(String type) throws InterruptedException {
        return (GatewayEvent.Failover) RecordingListener.await(event -> event instanceof GatewayEvent.Failover failover
                && failover.type().equals(type));
    }

    @Test
    void aSignalAReadyStandbyAndAPromotionAreEventsWithGroupFromToReasonAndDuration() throws Exception {
        start("    type: custom\n    class: " + RecordingListener.class.getName() + "\n");
        String primary = backends.url("primary").toString();
        String standby1 = backends.url("standby1").toString();

        admin("/failover/prices-group/signal",
                "{\"type\": \"rebalance\", \"risk_factors\": {\"failure_history\": 0.5, \"age\": 0.2, \"volatility\": 0.2}}", 200);
        GatewayEvent.Failover rebalance = awaitFailover("failover_signal");
        assertThat(rebalance.group()).isEqualTo("prices-group");
        assertThat(rebalance.from()).isEqualTo(primary);
        assertThat(rebalance.reason()).isEqualTo("rebalance: risk 0.32 against the threshold 0.30, warming a standby");
        GatewayEvent.Failover ready = awaitFailover("failover_standby_ready");
        assertThat(ready.group()).isEqualTo("prices-group");
        assertThat(ready.from()).isEqualTo(primary);
        assertThat(ready.to()).isEqualTo(standby1);
        assertThat(ready.durationMillis()).isNotNegative();

        RecordingListener.clear();
        admin("/failover/prices-group/signal", "{\"type\": \"termination\"}", 200);
        GatewayEvent.Failover termination = awaitFailover("failover_signal");
        assertThat(termination.reason()).isEqualTo("termination: POST /failover/prices-group/signal");
        assertThat(termination.to()).isEqualTo(standby1);
        GatewayEvent.Failover switched = awaitFailover("failover_switch");
        assertThat(switched.group()).isEqualTo("prices-group");
        assertThat(switched.kind()).isEqualTo("promotion");
        assertThat(switched.from()).isEqualTo(primary);
        assertThat(switched.to()).isEqualTo(standby1);
        assertThat(switched.reason()).isNotBlank();
        assertThat(switched.durationMillis()).isNotNegative();
        assertThat(switched.toJson()).containsKeys("type", "at", "group", "kind", "from", "to", "reason", "duration_ms");
    }

    @Test
    void theDefaultHandlerWritesTheCircuitsLossSignalTheSwitchAndAFailedFailoverAsJsonLines() throws Exception {
        Path log = data.resolve("events.jsonl");
        start("    type: default\n    file: " + log + "\n");
        java.util.concurrent.CountDownLatch switchedOver = new java.util.concurrent.CountDownLatch(1);
        gateway.registry().get(dev.bulwark.failover.FailoverGroup.class, "prices-group").subscribe(event -> {
            if (event instanceof dev.bulwark.failover.FailoverGroup.Event.Switched) {
                switchedOver.countDown();
            }
        });
        backends.down("primary");
        for (int i = 0; i < 2; i++) { // the second consecutive failure opens the circuit: a loss signal
            client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/query"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"q\"}"))
                    .build(), HttpResponse.BodyHandlers.discarding());
        }
        assertThat(switchedOver.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        backends.down("standby1", "standby2");
        admin("/failover/prices-group/signal", "{\"type\": \"termination\"}", 503);

        List<JsonNode> failovers = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            JsonNode event = JSON.readTree(line);
            if (event.get("type").asText().startsWith("failover_")) {
                failovers.add(event);
            }
        }
        assertThat(failovers).extracting(event -> event.get("type").asText())
                .startsWith("failover_signal", "failover_standby_ready", "failover_switch", "failover_signal", "failover_failed");
        assertThat(failovers.get(0).get("reason").asText()).isEqualTo("termination: the circuit of adapter 'prices' opened");
        JsonNode switched = failovers.get(2);
        assertThat(switched.get("group").asText()).isEqualTo("prices-group");
        assertThat(switched.get("kind").asText()).isEqualTo("emergency_recovery");
        assertThat(switched.get("from").asText()).isEqualTo(backends.url("primary").toString());
        assertThat(switched.get("to").asText()).isEqualTo(backends.url("standby1").toString());
        assertThat(switched.get("duration_ms").asLong()).isNotNegative();
        JsonNode failed = failovers.get(4);
        assertThat(failed.get("from").asText()).isEqualTo(backends.url("standby1").toString());
        assertThat(failed.get("to").asText()).isEqualTo(backends.url("standby1").toString());
        assertThat(failed.get("reason").asText()).contains("no healthy backend to take over");
        assertThat(failed.get("duration_ms").asLong()).isZero();
    }
}
