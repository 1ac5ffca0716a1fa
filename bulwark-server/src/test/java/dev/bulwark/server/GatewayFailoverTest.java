package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.failover.FailoverGroup;
import dev.bulwark.mode.ModeOrchestrator;
import dev.bulwark.store.AuditLog;
import dev.bulwark.store.JdbcStore;
import dev.bulwark.store.StoreConfig;
import dev.bulwark.yaml.GatewayConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover groups of backends over real HTTP: risk signals, promotion with a ready standby, emergency recovery without
 * one, the circuit opening as a loss signal, auto and manual excluding each other, the manual switch, the admin
 * token, the records, the audit and the report.
 */
class GatewayFailoverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final SwitchableBackends backends = new SwitchableBackends();
    @TempDir
    Path data;
    private Gateway gateway;

    private void start(String mode) {
        start(mode, true);
    }

    /** Without health monitoring only the circuit (and the admin) can signal a loss. */
    private void start(String mode, boolean healthMonitoring) {
        String yaml = "fault_tolerance:\n  failure_threshold: 2\n  retry:\n    enabled: false\n  execution:\n    timeout: 5s\n"
                + "  health_monitoring:\n    enabled: " + healthMonitoring + "\n"
                + "storage:\n  data_directory: " + data + "\n"
                + "adapters:\n  - name: prices\n    url: " + backends.url("primary") + "\n"
                + "failover_groups:\n  - name: prices-group\n    adapter: prices\n    mode: " + mode + "\n"
                + "    standbys: [" + backends.url("standby1") + ", " + backends.url("standby2") + "]\n";
        gateway = Gateway.start(GatewayConfigLoader.parse("failover.yaml", yaml), 0, "secret",
                ModeOrchestrator.builder("gateway").evaluationInterval(Duration.ofHours(1)).build());
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        backends.close();
    }

    @SuppressWarnings("unchecked")
    private FailoverGroup<URI> group() {
        return gateway.registry().get(FailoverGroup.class, "prices-group");
    }

    private HttpResponse<String> admin(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer secret")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode admin(String path, String body, int status) throws Exception {
        HttpResponse<String> response = admin(path, body);
        assertThat(response.statusCode()).as(path + " -> " + response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private JsonNode status() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                + "/failover/prices-group")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private String query() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                + "/query")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"q\"}")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode adapter = JSON.readTree(response.body()).get("adapters").get(0);
        return adapter.get("status").asText() + ":" + adapter.get("value").asText();
    }

    /** Waits (bounded) for the group's next event of {@code type}. */
    private CountDownLatch next(Class<? extends FailoverGroup.Event> type) {
        CountDownLatch seen = new CountDownLatch(1);
        group().subscribe(event -> {
            if (type.isInstance(event)) {
                seen.countDown();
            }
        });
        return seen;
    }

    @Test
    void aRiskOverTheThresholdWarmsAStandbyAndTerminationPromotesIt() throws Exception {
        start("auto");
        assertThat(status().get("mode").asText()).isEqualTo("auto");
        assertThat(status().get("risk_threshold").asDouble()).isEqualTo(0.30);
        JsonNode low = admin("/failover/prices-group/signal",
                "{\"type\": \"rebalance\", \"risk_factors\": {\"failure_history\": 0.2, \"age\": 0.3, \"volatility\": 0.3}}", 200);
        assertThat(low.get("risk").asDouble()).isEqualTo(0.26, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(low.get("standby").get("state").asText()).isEqualTo("none");

        CountDownLatch ready = next(FailoverGroup.Event.StandbyReady.class);
        JsonNode high = admin("/failover/prices-group/signal",
                "{\"type\": \"rebalance\", \"risk_factors\": {\"failure_history\": 0.5, \"age\": 0.2, \"volatility\": 0.2}}", 200);
        assertThat(high.get("risk").asDouble()).isEqualTo(0.32, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(high.get("provisioning").asBoolean()).isTrue();
        assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(status().get("standby").get("state").asText()).isEqualTo("ready");
        assertThat(query()).isEqualTo("succeeded:answer from primary");

        JsonNode promoted = admin("/failover/prices-group/signal", "{\"type\": \"termination\"}", 200);

        assertThat(promoted.get("switch").get("kind").asText()).isEqualTo("promotion");
        assertThat(promoted.get("current").asText()).isEqualTo(backends.url("standby1").toString());
        assertThat(query()).isEqualTo("succeeded:answer from standby1");
        JsonNode last = status().get("last_failovers").get(0);
        assertThat(last.get("kind").asText()).isEqualTo("promotion");
        assertThat(last.get("from").asText()).isEqualTo(backends.url("primary").toString());
        assertThat(last.get("to").asText()).isEqualTo(backends.url("standby1").toString());
        assertThat(last.get("success").asBoolean()).isTrue();

        JsonNode report = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                + "/failover/report")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(report.get("switches").get(0).get("total").asInt()).isEqualTo(1);
        assertThat(report.get("standbys").get(0).get("created").asInt()).isEqualTo(1);
        assertThat(report.get("standbys").get(0).get("promoted").asInt()).isEqualTo(1);
        assertThat(report.get("standbys").get(0).get("terminated_unused").asInt()).isZero();
    }

    @Test
    void terminationWithoutAStandbyRecoversOntoAHealthyOneAndSkipsTheUnhealthy() throws Exception {
        start("auto");
        backends.down("standby1");

        JsonNode recovered = admin("/failover/prices-group/signal", "{\"type\": \"termination\"}", 200);

        assertThat(recovered.get("switch").get("kind").asText()).isEqualTo("emergency_recovery");
        assertThat(recovered.get("current").asText()).isEqualTo(backends.url("standby2").toString());
        assertThat(query()).isEqualTo("succeeded:answer from standby2");
    }

    @Test
    void terminationWithNoHealthyBackendFailsAndKeepsThePrimary() throws Exception {
        start("auto");
        backends.down("standby1", "standby2");

        JsonNode failed = admin("/failover/prices-group/signal", "{\"type\": \"termination\"}", 503);

        assertThat(failed.get("error").asText()).contains("no healthy backend to take over for group 'prices-group'");
        assertThat(status().get("current").asText()).isEqualTo(backends.url("primary").toString());
        JsonNode last = status().get("last_failovers").get(0);
        assertThat(last.get("kind").asText()).isEqualTo("failed");
        assertThat(last.get("success").asBoolean()).isFalse();
    }

    @Test
    void thePrimarysCircuitOpeningPromotesAndCallsGoToTheNewBackend() throws Exception {
        start("auto", false);
        CountDownLatch switched = next(FailoverGroup.Event.Switched.class);
        backends.down("primary");

        assertThat(query()).startsWith("failed:");
        assertThat(query()).startsWith("failed:"); // the second consecutive failure opens the circuit

        assertThat(switched.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(group().current()).isEqualTo(backends.url("standby1"));
        assertThat(query()).isEqualTo("succeeded:answer from standby1");
    }

    @Test
    void thePrimaryFailingItsHealthCheckIsALossSignalAndSwitchesAreCounted() throws Exception {
        start("auto");
        CountDownLatch switched = next(FailoverGroup.Event.Switched.class);
        backends.down("primary");

        assertThat(gateway.health().runNow("failover-prices-group").toCompletableFuture().get(10, TimeUnit.SECONDS)
                .message()).contains("primary answered its health check with HTTP 503");

        assertThat(switched.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(group().current()).isEqualTo(backends.url("standby1"));
        String metrics = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("bulwark_failover_switches_total{group=\"prices-group\",kind=\"emergency_recovery\"} 1.0")
                .contains("bulwark_failover_standby_ready{group=\"prices-group\"} 0.0")
                .as("promtool refuses a metric without help text")
                .contains("# HELP bulwark_failover_switches_total ").contains("# HELP bulwark_failover_standby_ready ");
    }

    @Test
    void autoAndManualExcludeEachOtherWith409() throws Exception {
        start("auto");
        JsonNode refused = admin("/failover/prices-group/manual/enable", "", 409);
        assertThat(refused.get("error").asText()).isEqualTo("cannot enable manual mode while auto mode is active; "
                + "POST /failover/prices-group/auto/disable first");
        assertThat(admin("/failover/prices-group/manual/disable", "", 409).get("error").asText())
                .isEqualTo("manual mode is not active (mode is auto)");

        admin("/failover/prices-group/auto/disable", "", 200);
        JsonNode manual = admin("/failover/prices-group/manual/enable", "", 200);
        assertThat(manual.get("mode").asText()).isEqualTo("manual");
        assertThat(manual.get("standby").get("state").asText()).isEqualTo("ready");

        assertThat(admin("/failover/prices-group/auto/enable", "", 409).get("error").asText())
                .isEqualTo("cannot enable auto mode while manual mode is active; POST /failover/prices-group/manual/disable first");
        assertThat(status().get("mode").asText()).isEqualTo("manual");

        admin("/failover/prices-group/manual/disable", "", 200);
        assertThat(admin("/failover/prices-group/auto/enable", "", 200).get("mode").asText()).isEqualTo("auto");
    }

    @Test
    void theManualSwitchNeedsAReadyStandbyThenSwitchesAndWarmsTheNextOne() throws Exception {
        start("off");
        assertThat(admin("/failover/prices-group/switch", "", 409).get("error").asText())
                .isEqualTo("the manual switch needs manual mode; mode is off");
        backends.down("standby1", "standby2");
        admin("/failover/prices-group/manual/enable", "", 503);
        assertThat(admin("/failover/prices-group/switch", "", 409).get("error").asText())
                .isEqualTo("the standby is not ready (none); switch once GET /failover/prices-group shows it ready");

        backends.up("standby1", "standby2");
        admin("/failover/prices-group/manual/disable", "", 200);
        admin("/failover/prices-group/manual/enable", "", 200);
        CountDownLatch nextReady = next(FailoverGroup.Event.StandbyReady.class);
        JsonNode switched = admin("/failover/prices-group/switch", "", 200);

        assertThat(switched.get("switch").get("kind").asText()).isEqualTo("manual_switch");
        assertThat(switched.get("current").asText()).isEqualTo(backends.url("standby1").toString());
        assertThat(query()).isEqualTo("succeeded:answer from standby1");
        assertThat(nextReady.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(group().standby()).hasValue(backends.url("standby2")); // the retired primary comes last
    }

    @Test
    void adminEndpointsNeedTheTokenAndEveryActionIsAudited() throws Exception {
        start("auto");
        HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                + "/failover/prices-group/switch")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(admin("/failover/nope/switch", "", 404).get("error").asText())
                .isEqualTo("no failover group 'nope'; known: [prices-group]");
        admin("/failover/prices-group/manual/enable", "", 409);
        admin("/failover/prices-group/signal", "{\"type\": \"rebalance\", \"risk_factors\": {\"failure_history\": 2, "
                + "\"age\": 0, \"volatility\": 0}}", 400);
        admin("/failover/prices-group/signal", "{\"type\": \"reboot\"}", 400);
        admin("/failover/prices-group/auto/disable", "", 200);

        try (JdbcStore store = JdbcStore.open(StoreConfig.embedded(data))) {
            List<AuditLog.Entry> audit = store.audit().recent(10);
            assertThat(audit).extracting(AuditLog.Entry::action).containsExactly("failover.auto.disable",
                    "failover.signal", "failover.signal", "failover.manual.enable");
            assertThat(audit).extracting(AuditLog.Entry::outcome).containsExactly("done", "refused", "refused", "refused");
            assertThat(audit.get(3).detail()).startsWith("cannot enable manual mode while auto mode is active");
        }
    }
}
