package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.mode.Mode;
import dev.bulwark.mode.ModeOrchestrator;
import dev.bulwark.yaml.GatewayConfig;
import dev.bulwark.yaml.GatewayConfigLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway over real HTTP on loopback: a real server, a real client, the demo backends. */
class GatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private DemoBackends backends;
    private Gateway gateway;

    /** Decides the mode only when told (evaluate/force), so that tests control it. */
    private final ModeOrchestrator modes = ModeOrchestrator.builder("gateway").evaluationInterval(Duration.ofHours(1)).build();

    @BeforeEach
    void start() {
        backends = DemoBackends.start(0);
        Map<String, URI> adapters = new LinkedHashMap<>();
        adapters.put("fast", URI.create(backends.baseUri() + "/fast"));
        adapters.put("broken", URI.create(backends.baseUri() + "/broken"));
        gateway = Gateway.start(Gateway.demoConfig(adapters), 0, "secret", modes);
    }

    @AfterEach
    void stop() {
        gateway.close();
        backends.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, body, "secret");
    }

    private HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(20)).header("X-Request-Id", "test-1")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aQueryFansOutAndReportsEveryAdapter() throws Exception {
        HttpResponse<String> response = post("/query", "{\"query\": \"pricing\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("request_id").asText()).isEqualTo("test-1");
        assertThat(body.get("results").get(0).asText()).isEqualTo("fast answer to 'pricing'");
        assertThat(body.get("partial").asBoolean()).isTrue();
        assertThat(body.get("adapters").get(1).get("status").asText()).isIn("failed", "rejected");
    }

    @Test
    void theSystemHealthShowsTheHealthMonitorsChecks() throws Exception {
        gateway.health().runAllNow().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);

        JsonNode system = JSON.readTree(get("/health/system").body());

        assertThat(system.get("checks").fieldNames()).toIterable().contains("heap", "cpu", "disk", "circuit-breakers");
        assertThat(system.get("checks").get("heap").get("status").asText()).isIn("HEALTHY", "DEGRADED", "UNHEALTHY");
        assertThat(system.get("health").asText()).isEqualTo(gateway.health().status().name());
        assertThat(system.get("mode").asText()).isEqualTo("NORMAL");
    }

    @Test
    void prometheusMetricsAreServedWithOneLabelledFamilyPerKind() throws Exception {
        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("bulwark_circuit_breaker_state{name=\"fast\"}")
                .contains("bulwark_circuit_breaker_state{name=\"broken\"}")
                .contains("bulwark_retry_calls_total{name=\"fast\"}")
                .contains("bulwark_fanout_in_flight{name=\"gateway\"}");
    }

    @Test
    void postAdaptersSendTheirBodyTemplateAndHeaders() throws Exception {
        GatewayConfig config = GatewayConfigLoader.parse("echo.yaml", "adapters:\n  - name: echo\n    url: "
                + backends.baseUri() + "/echo\n    method: POST\n    headers:\n      X-Api-Key: k-1\n"
                + "    body_template: '{\"q\": \"{{query}}\"}'\n");
        try (Gateway echo = Gateway.start(config, 0, "secret", ModeOrchestrator.builder("echo").build())) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + echo.port() + "/query"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"say \\\"hi\\\"\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(JSON.readTree(response.body()).get("results").get(0).asText())
                    .isEqualTo("echo key=k-1 body={\"q\": \"say \\\"hi\\\"\"}");
        }
    }

    @Test
    void aReloadAddsAndRemovesAdaptersAndKeepsTheStateOfUnchangedOnes() throws Exception {
        for (int i = 0; i < 6; i++) {
            post("/query", "{\"query\": \"q" + i + "\", \"adapters\": [\"broken\"]}");
        }
        assertThat(JSON.readTree(get("/health/adapters/broken").body()).get("state").asText()).isEqualTo("OPEN");

        Map<String, URI> next = new LinkedHashMap<>();
        next.put("broken", URI.create(backends.baseUri() + "/broken"));
        next.put("echo-less", URI.create(backends.baseUri() + "/fast"));
        gateway.reload(Gateway.demoConfig(next));

        JsonNode adapters = JSON.readTree(get("/health/adapters").body());
        assertThat(adapters).extracting(node -> node.get("name").asText()).containsExactly("broken", "echo-less");
        assertThat(adapters.get(0).get("state").asText()).as("same settings: same breaker, still open").isEqualTo("OPEN");
        assertThat(get("/health/adapters/fast").statusCode()).isEqualTo(404);
        JsonNode answer = JSON.readTree(post("/query", "{\"query\": \"after\", \"adapters\": [\"echo-less\"]}").body());
        assertThat(answer.get("results").get(0).asText()).isEqualTo("fast answer to 'after'");
        assertThat(get("/metrics").body()).contains("bulwark_circuit_breaker_state{name=\"echo-less\"}")
                .doesNotContain("bulwark_circuit_breaker_state{name=\"fast\"}");
    }

    @Test
    void aReloadThatChangesABreakersSettingsKeepsItsCircuitOpen() throws Exception {
        for (int i = 0; i < 6; i++) {
            post("/query", "{\"query\": \"q" + i + "\", \"adapters\": [\"broken\"]}");
        }
        assertThat(gateway.state("broken")).isEqualTo(CircuitBreaker.State.OPEN);

        gateway.reload(GatewayConfigLoader.parse("changed.yaml", """
                fault_tolerance:
                  recovery_timeout: 45s
                adapters:
                  - name: broken
                    url: BASE/broken
                """.replace("BASE", backends.baseUri().toString())));

        assertThat(gateway.breakers().get("broken").config().recoveryTimeout()).as("the new settings apply")
                .isEqualTo(Duration.ofSeconds(45));
        assertThat(gateway.state("broken")).as("a reload is no way around an open circuit")
                .isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(JSON.readTree(get("/health/adapters/broken").body()).get("state").asText()).isEqualTo("OPEN");
    }

    @Test
    void mutatingEndpointsNeedTheAdminToken() throws Exception {
        assertThat(post("/health/adapters/broken/reset", "", null).statusCode()).isEqualTo(401);
        assertThat(post("/health/adapters/broken/reset", "", "guess").statusCode()).isEqualTo(403);
        assertThat(post("/health/adapters/cleanup", "", null).statusCode()).isEqualTo(401);
        assertThat(post("/health/adapters/cleanup", "").statusCode()).isEqualTo(200);
        HttpResponse<String> memory = get("/health/adapters/memory-usage");
        assertThat(memory.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(memory.body()).get("circuit_breakers").asInt()).isEqualTo(2);
    }

    @Test
    void whenEveryAdapterFailsTheLastGoodAnswerIsServedAndTheResponseSaysSo() throws Exception {
        post("/query", "{\"query\": \"prices\", \"adapters\": [\"fast\"]}");

        JsonNode fallback = JSON.readTree(post("/query", "{\"query\": \"prices\", \"adapters\": [\"broken\"]}").body());

        assertThat(fallback.get("fallback").asText()).isEqualTo("cache");
        assertThat(fallback.get("results").get(0).asText()).isEqualTo("fast answer to 'prices'");
        JsonNode nothing = JSON.readTree(post("/query", "{\"query\": \"new\", \"adapters\": [\"broken\"]}").body());
        assertThat(nothing.get("fallback").asText()).isEqualTo("none");
        assertThat(nothing.get("results")).isEmpty();
    }

    @Test
    void inEmergencyTheGatewayAnswersFromCacheOnlyAndSaysSo() throws Exception {
        post("/query", "{\"query\": \"prices\"}");

        modes.force(Mode.EMERGENCY, "drill");
        JsonNode answer = JSON.readTree(post("/query", "{\"query\": \"prices\"}").body());

        assertThat(answer.get("mode").asText()).isEqualTo("EMERGENCY");
        assertThat(answer.get("fallback").asText()).isEqualTo("cache");
        assertThat(answer.get("reason").asText()).isEqualTo("forced: drill");
        assertThat(answer.has("adapters")).as("no adapter was called").isFalse();
        modes.release();
    }

    @Test
    void badRequestsGetA400WithAJsonBodyNamingTheField() throws Exception {
        assertError(post("/query", "{\"query\":"), "body");
        assertError(post("/query", "{\"question\": \"x\"}"), "query");
        HttpResponse<String> unknown = post("/query", "{\"query\": \"x\", \"adapters\": [\"nope\"]}");
        assertThat(unknown.statusCode()).as("an unknown adapter is a 404").isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("field").asText()).isEqualTo("adapters");
        assertError(post("/query", "{\"query\": \"x\", \"strategy\": \"fastest\"}"), "strategy");
        HttpResponse<String> missing = get("/health/adapters/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).get("error").asText()).isEqualTo("no adapter 'nope'; known: [fast, broken]");
    }

    private static void assertError(HttpResponse<String> response, String field) throws Exception {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(JSON.readTree(response.body()).get("field").asText()).isEqualTo(field);
    }

    @Test
    void aFailingBackendsCircuitOpensShowsInHealthAndCanBeReset() throws Exception {
        for (int i = 0; i < 6; i++) {
            post("/query", "{\"query\": \"q" + i + "\", \"adapters\": [\"broken\", \"fast\"], \"strategy\": \"all\"}");
        }
        JsonNode rejected = JSON.readTree(post("/query", "{\"query\": \"again\", \"adapters\": [\"broken\"]}").body());
        assertThat(rejected.get("adapters").get(0).get("status").asText()).isEqualTo("rejected");
        assertThat(rejected.get("adapters").get(0).get("circuit_state").asText()).isEqualTo("OPEN");
        assertThat(JSON.readTree(get("/health/system").body()).get("status").asText()).isEqualTo("degraded");
        JsonNode stats = JSON.readTree(get("/health/adapters/broken/stats").body());
        JsonNode opened = stats.get("transitions").get(0);
        assertThat(opened.get("from").asText() + " -> " + opened.get("to").asText() + " (" + opened.get("reason").asText() + ")")
                .isEqualTo("CLOSED -> OPEN (failure_threshold_exceeded)");
        assertThat(java.time.Instant.parse(opened.get("at").asText())).as("when it opened").isEqualTo(
                java.time.Instant.ofEpochMilli(gateway.breakers().get("broken").stats().history().get(0).wallMillis()));

        HttpResponse<String> reset = post("/health/adapters/broken/reset", "");

        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(reset.body()).get("state").asText()).isEqualTo("CLOSED");
        assertThat(JSON.readTree(get("/health/system").body()).get("status").asText()).isEqualTo("healthy");
    }
}
