package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.time.ManualClock;
import dev.bulwark.yaml.GatewayConfig;
import dev.bulwark.yaml.GatewayConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin controls the dashboard calls, over HTTP: none works without the admin token (401 with a JSON body,
 * nothing changed, nothing audited), each change made with it is audited (who, what, on what, outcome, from which
 * address) and still listed at {@code GET /audit} after a restart, with the {@code storage:} database or without one;
 * bad input gets a 4xx JSON answer.
 */
class DashboardControlsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CONTROLS = List.of("/health/adapters/alpha/reset", "/health/adapters/alpha/trip",
            "/health/adapters/cleanup", "/mode/force", "/mode/release", "/queues/alpha/drain",
            "/failover/g/manual/enable", "/failover/g/manual/disable", "/failover/g/auto/enable",
            "/failover/g/auto/disable", "/failover/g/switch", "/failover/g/signal");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final SwitchableBackends backends = new SwitchableBackends();
    private final ManualClock clock = new ManualClock();
    private Gateway gateway;

    @TempDir
    Path data;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        backends.close();
    }

    private GatewayConfig config(String extra) {
        return GatewayConfigLoader.parse("controls.yaml", extra + "fault_tolerance:\n  retry:\n    enabled: false\n"
                + "  health_monitoring:\n    enabled: false\nadapters:\n  - name: alpha\n    url: " + backends.url("alpha") + "\n");
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(20)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void noControlWorksWithoutTheTokenAndNoneChangesAnything() throws Exception {
        gateway = Gateway.start(config(""), 0, "secret", clock);
        for (String control : CONTROLS) {
            String body = control.equals("/mode/force") ? "{\"mode\":\"EMERGENCY\"}" : "{}";
            HttpResponse<String> anonymous = send("POST", control, body, null);
            assertThat(anonymous.statusCode()).as(control).isEqualTo(401);
            assertThat(JSON.readTree(anonymous.body()).path("field").asText()).as(control).isEqualTo("Authorization");
            HttpResponse<String> wrong = send("POST", control, body, "guess");
            assertThat(wrong.statusCode()).as(control).isEqualTo(403);
            assertThat(JSON.readTree(wrong.body()).path("error").asText()).as(control).contains("not the admin token");
        }
        assertThat(gateway.state("alpha").name()).isEqualTo("CLOSED");
        assertThat(gateway.modes().mode().name()).isEqualTo("NORMAL");
        assertThat(JSON.readTree(send("GET", "/audit", null, null).body()).path("entries")).isEmpty();
    }

    @Test
    void tripAndResetWithTheTokenAreAuditedWithWhoAndFromWhere() throws Exception {
        gateway = Gateway.start(config(""), 0, "secret", clock);
        assertThat(send("POST", "/health/adapters/alpha/trip", null, "secret").statusCode()).isEqualTo(200);
        assertThat(gateway.state("alpha").name()).isEqualTo("OPEN");
        assertThat(send("POST", "/health/adapters/nobody/reset", null, "secret").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/health/adapters/alpha/reset", null, "secret").statusCode()).isEqualTo(200);
        assertThat(gateway.state("alpha").name()).isEqualTo("CLOSED");

        JsonNode entries = JSON.readTree(send("GET", "/audit", null, null).body()).path("entries");
        // the 404 asked nothing of an adapter that exists: not recorded
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).path("action").asText()).isEqualTo("circuit.reset");
        assertThat(entries.get(0).path("target").asText()).isEqualTo("alpha");
        assertThat(entries.get(0).path("outcome").asText()).isEqualTo("done");
        assertThat(entries.get(0).path("detail").asText()).isEqualTo("CLOSED");
        assertThat(entries.get(1).path("action").asText()).isEqualTo("circuit.trip");
        assertThat(entries.get(1).path("detail").asText()).isEqualTo("OPEN");
        for (JsonNode entry : entries) {
            assertThat(entry.path("who").asText()).isEqualTo("admin");
            assertThat(entry.path("remote_address").asText()).isEqualTo("127.0.0.1");
            assertThat(entry.path("at").asText()).isEqualTo("2026-01-01T00:00:00Z");
        }
    }

    @Test
    void theCallerNamesItselfInTheActorHeaderAndABadNameChangesNothing() throws Exception {
        gateway = Gateway.start(config(""), 0, "secret", clock);
        HttpRequest.Builder named = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                        + "/health/adapters/alpha/trip")).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer secret");

        HttpResponse<String> bad = client.send(named.copy().header("X-Bulwark-Actor", "alice smith").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("field").asText()).isEqualTo("X-Bulwark-Actor");
        assertThat(JSON.readTree(bad.body()).path("error").asText()).contains("'alice smith'").contains("1 to 64");
        assertThat(gateway.state("alpha").name()).isEqualTo("CLOSED");

        HttpResponse<String> good = client.send(named.copy().header("X-Bulwark-Actor", "alice@ops").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(good.statusCode()).isEqualTo(200);
        assertThat(gateway.state("alpha").name()).isEqualTo("OPEN");

        JsonNode entries = JSON.readTree(send("GET", "/audit", null, null).body()).path("entries");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).path("who").asText()).isEqualTo("alice@ops");
        assertThat(entries.get(0).path("action").asText()).isEqualTo("circuit.trip");
    }

    @Test
    void drainingAQueueRunsItsKeptQueriesNowAndIsAudited() throws Exception {
        gateway = Gateway.start(GatewayConfigLoader.parse("queue.yaml", "fault_tolerance:\n  retry:\n    enabled: false\n"
                + "  health_monitoring:\n    enabled: false\nadapters:\n  - name: alpha\n    url: " + backends.url("alpha")
                + "\n    fallback:\n      queue_for_later:\n        directory: '" + data.resolve("queue").toString().replace("'", "''")
                + "'\n        drain_interval: 1h\n"), 0, "secret", clock);
        backends.down("alpha");
        HttpResponse<String> kept = send("POST", "/query", "{\"query\":\"q1\",\"adapters\":[\"alpha\"]}", null);
        assertThat(kept.statusCode()).as(kept.body()).isEqualTo(202);
        assertThat(JSON.readTree(send("GET", "/queues", null, null).body()).path("alpha").asInt()).isEqualTo(1);

        assertThat(send("POST", "/queues/alpha/drain", null, null).statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(send("GET", "/queues", null, null).body()).path("alpha").asInt()).isEqualTo(1);
        backends.up("alpha");
        HttpResponse<String> drained = send("POST", "/queues/alpha/drain", null, "secret");

        assertThat(drained.statusCode()).as(drained.body()).isEqualTo(200);
        assertThat(JSON.readTree(drained.body()).path("drained").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(drained.body()).path("waiting").asInt()).isZero();
        String ticket = JSON.readTree(kept.body()).path("ticket").asText();
        assertThat(send("GET", "/query/" + ticket, null, null).statusCode()).isEqualTo(200);
        JsonNode entry = JSON.readTree(send("GET", "/audit", null, null).body()).path("entries").get(0);
        assertThat(entry.path("action").asText()).isEqualTo("queue.drain");
        assertThat(entry.path("target").asText()).isEqualTo("alpha");
        assertThat(entry.path("detail").asText()).isEqualTo("1");
    }

    @Test
    void theAuditSurvivesARestartOnTheStorageDatabase() throws Exception {
        GatewayConfig withStorage = config("storage:\n  data_directory: " + data.toString().replace('\\', '/') + "\n");
        gateway = Gateway.start(withStorage, 0, "secret", clock);
        assertThat(send("POST", "/mode/force", "{\"mode\":\"DEGRADED\",\"reason\":\"drill\"}", "secret").statusCode()).isEqualTo(200);
        gateway.close();

        gateway = Gateway.start(withStorage, 0, "secret", clock);
        JsonNode audit = JSON.readTree(send("GET", "/audit", null, null).body());
        assertThat(audit.path("durable").asBoolean()).isTrue();
        assertThat(audit.path("entries")).hasSize(1);
        assertThat(audit.path("entries").get(0).path("action").asText()).isEqualTo("mode.force");
        assertThat(audit.path("entries").get(0).path("detail").asText()).isEqualTo("DEGRADED");
    }

    @Test
    void withoutStorageTheAuditSurvivesARestartInTheAuditDirectory() throws Exception {
        GatewayConfig plain = config("");
        GatewayConfig local = plain.withServer(plain.server().withPort(0).withAdminToken("secret"));
        gateway = Gateway.start(local, data.resolve("audit"));
        assertThat(send("POST", "/health/adapters/alpha/trip", null, "secret").statusCode()).isEqualTo(200);
        gateway.close();

        gateway = Gateway.start(local, data.resolve("audit"));
        JsonNode audit = JSON.readTree(send("GET", "/audit", null, null).body());
        assertThat(audit.path("durable").asBoolean()).isTrue();
        assertThat(audit.path("entries")).hasSize(1);
        assertThat(audit.path("entries").get(0).path("action").asText()).isEqualTo("circuit.trip");
        assertThat(audit.path("entries").get(0).path("target").asText()).isEqualTo("alpha");
    }

    @Test
    void badInputToTheNewEndpointsGetsA4xxJsonAnswer() throws Exception {
        gateway = Gateway.start(config(""), 0, "secret", clock);
        for (String limit : List.of("abc", "0", "501", "-3")) {
            HttpResponse<String> bad = send("GET", "/audit?limit=" + limit, null, null);
            assertThat(bad.statusCode()).as(limit).isEqualTo(400);
            assertThat(JSON.readTree(bad.body()).path("field").asText()).isEqualTo("limit");
        }
        HttpResponse<String> noQueue = send("POST", "/queues/alpha/drain", null, "secret");
        assertThat(noQueue.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(noQueue.body()).path("error").asText()).contains("keeps no queue");
        HttpResponse<String> badMode = send("POST", "/mode/force", "{\"mode\":\"PANIC\"}", "secret");
        assertThat(badMode.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(send("GET", "/audit", null, null).body()).path("entries").get(0).path("outcome").asText())
                .isEqualTo("refused");
        HttpResponse<String> noAsset = send("GET", "/dashboard/assets/secrets.txt", null, null);
        assertThat(noAsset.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(noAsset.body()).path("field").asText()).isEqualTo("file");
        HttpResponse<String> page = send("GET", "/", null, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("/dashboard/assets/uPlot.iife.min.js", "/dashboard/assets/app.js");
    }
}
