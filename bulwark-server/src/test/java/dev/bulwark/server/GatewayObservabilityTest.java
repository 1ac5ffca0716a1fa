package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.health.HealthStatus;
import dev.bulwark.mode.ModeOrchestrator;
import dev.bulwark.time.ManualClock;
import dev.bulwark.yaml.ConfigWatcher;
import dev.bulwark.yaml.GatewayConfigLoader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request ids, the access log, reload results, the circuit check and adapter errors, over real HTTP. */
class GatewayObservabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScriptedBackend backend = new ScriptedBackend();
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        backend.close();
    }

    private String yaml(String... adapters) {
        StringBuilder out = new StringBuilder("fault_tolerance:\n  retry:\n    enabled: false\nadapters:\n");
        for (String adapter : adapters) {
            String[] nameAndUrl = adapter.split("=", 2);
            out.append("  - name: ").append(nameAndUrl[0]).append("\n    url: ").append(nameAndUrl[1]).append('\n');
        }
        return out.toString();
    }

    private void start(String yaml) {
        gateway = Gateway.start(GatewayConfigLoader.parse("observe.yaml", yaml), 0, "secret",
                ModeOrchestrator.builder("gateway").evaluationInterval(Duration.ofHours(1)).build());
    }

    private HttpResponse<String> query(String body, String requestId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/query"))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aGivenRequestIdIsReturnedLoggedAndForwardedToTheBackends() throws Exception {
        start(yaml("ok=" + backend.url("/ok"), "fail=" + backend.url("/fail")));
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        gateway.onAccessLog(lines::add);

        HttpResponse<String> response = query("{\"query\": \"q\"}", "req-42");

        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("req-42");
        assertThat(JSON.readTree(response.body()).get("request_id").asText()).isEqualTo("req-42");
        assertThat(backend.requestIds()).containsExactly("req-42", "req-42");
        String line = lines.poll(10, TimeUnit.SECONDS);
        assertThat(line).startsWith("request_id=req-42 client=127.0.0.1 status=200 duration_ms=")
                .contains(" strategy=all fallback=none adapters=\"ok:succeeded:")
                .containsPattern("fail:failed:\\d+ms\\(GET http://127\\.0\\.0\\.1:\\d+/fail\\?q=q: HTTP 500: failed\\)");
    }

    @Test
    void withoutAUsableRequestIdOneIsGeneratedAndUsedEverywhere() throws Exception {
        start(yaml("ok=" + backend.url("/ok")));
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        gateway.onAccessLog(lines::add);

        HttpResponse<String> none = query("{\"query\": \"q\"}", null);
        HttpResponse<String> unsafe = query("{\"query\": \"q\"}", "two words\"");

        for (HttpResponse<String> response : java.util.List.of(none, unsafe)) {
            String id = response.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(id).matches("[0-9a-f-]{36}");
            assertThat(JSON.readTree(response.body()).get("request_id").asText()).isEqualTo(id);
            assertThat(lines.poll(10, TimeUnit.SECONDS)).startsWith("request_id=" + id + " ");
        }
        assertThat(backend.requestIds()).containsExactly(
                none.headers().firstValue("X-Request-Id").orElseThrow(), unsafe.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void aRefusedQueryIsLoggedWithItsStatusAndError() throws Exception {
        start(yaml("ok=" + backend.url("/ok")));
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        gateway.onAccessLog(lines::add);

        HttpResponse<String> refused = query("{\"query\": \"q\", \"adapters\": [\"ok\", \"ok\"]}", "bad-1");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("X-Request-Id")).hasValue("bad-1");
        assertThat(lines.poll(10, TimeUnit.SECONDS)).startsWith("request_id=bad-1 client=127.0.0.1 status=400 ")
                .endsWith(" adapters=\"\" error=\"each adapter may be named once per query; repeated: [ok]\"");
    }

    @Test
    void reloadResultsAreShownAtAnEndpointAndCounted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, yaml("ok=" + backend.url("/ok")));
        gateway = Gateway.start(GatewayConfigLoader.load(file), 0, "secret",
                ModeOrchestrator.builder("gateway").evaluationInterval(Duration.ofHours(1)).build());
        ManualClock clock = new ManualClock();
        try (ConfigWatcher watcher = gateway.watch(file, clock, Duration.ofSeconds(2))) {
            assertThat(JSON.readTree(get("/health/config").body()).get("last_reload").isNull()).isTrue();

            Files.writeString(file, "fault_tolerance:\n  failure_threshold: -1\n" + yaml("ok=" + backend.url("/ok")).substring(
                    "fault_tolerance:\n".length()));
            clock.advance(Duration.ofSeconds(2));
            JsonNode refused = JSON.readTree(get("/health/config").body());

            assertThat(refused.get("file").asText()).isEqualTo(file.toString());
            assertThat(refused.get("last_reload").get("result").asText()).isEqualTo("refused");
            assertThat(refused.get("last_reload").get("error").asText())
                    .isEqualTo("gateway.yaml:2: fault_tolerance.failure_threshold must be >= 0, was -1");
            assertThat(refused.get("last_reload").get("at").asText()).isNotBlank();
            assertThat(get("/metrics").body()).contains("bulwark_config_reloads_total{result=\"refused\"} 1.0")
                    .contains("bulwark_config_last_reload_applied 0.0");

            Files.writeString(file, yaml("ok=" + backend.url("/ok"), "fail=" + backend.url("/fail")));
            clock.advance(Duration.ofSeconds(2));
            JsonNode applied = JSON.readTree(get("/health/config").body());

            assertThat(applied.get("last_reload").get("result").asText()).isEqualTo("applied");
            assertThat(applied.get("last_reload").get("error").isNull()).isTrue();
            assertThat(applied.get("applied").asInt()).isEqualTo(1);
            assertThat(applied.get("refused").asInt()).isEqualTo(1);
            assertThat(gateway.adapterNames()).containsExactly("ok", "fail");
            assertThat(get("/metrics").body()).contains("bulwark_config_reloads_total{result=\"applied\"} 1.0")
                    .contains("bulwark_config_last_reload_applied 1.0");
        }
    }

    @Test
    void theCircuitCheckAgreesWithOpenCircuits() throws Exception {
        start(yaml("ok=" + backend.url("/ok"), "fail=" + backend.url("/fail")));
        gateway.breakers().get("fail").forceOpen();

        JsonNode system = JSON.readTree(get("/health/system").body());

        assertThat(system.get("open_circuits")).extracting(JsonNode::asText).containsExactly("fail");
        assertThat(system.get("checks").get("circuit-breakers").get("status").asText()).isEqualTo("DEGRADED");
        assertThat(system.get("checks").get("circuit-breakers").get("message").asText()).isEqualTo("open circuits: fail");
        assertThat(gateway.health().latest("circuit-breakers")).hasValueSatisfying(result ->
                assertThat(result.status()).isEqualTo(HealthStatus.DEGRADED));

        gateway.breakers().get("fail").reset();
        JsonNode recovered = JSON.readTree(get("/health/system").body());

        assertThat(recovered.get("open_circuits")).isEmpty();
        assertThat(recovered.get("checks").get("circuit-breakers").get("status").asText()).isEqualTo("HEALTHY");
    }

    @Test
    void anAdapterErrorSaysWhatWasCalledAndWhyNotOnlyTheExceptionClass() throws Exception {
        int closedPort;
        try (ServerSocket free = new ServerSocket(0)) {
            closedPort = free.getLocalPort();
        }
        start(yaml("gone=http://127.0.0.1:" + closedPort + "/x"));

        JsonNode answer = JSON.readTree(query("{\"query\": \"q\"}", "e-1").body());

        assertThat(answer.get("adapters").get(0).get("error").asText())
                .startsWith("GET http://127.0.0.1:" + closedPort + "/x?q=q failed <- ConnectException");
    }
}
