package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.mode.Mode;
import dev.bulwark.mode.ModeOrchestrator;
import dev.bulwark.yaml.GatewayConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The status of every outcome, per strategy, over real HTTP: success, partial, all failed, nothing tried. */
class GatewayStatusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScriptedBackend backend = new ScriptedBackend();
    private final ModeOrchestrator modes = ModeOrchestrator.builder("gateway").evaluationInterval(Duration.ofHours(1)).build();
    private Gateway gateway;

    @BeforeEach
    void start() {
        String yaml = "fault_tolerance:\n  retry:\n    enabled: false\n  execution:\n    timeout: 5s\nadapters:\n"
                + "  - name: ok\n    url: " + backend.url("/ok") + "\n"
                + "  - name: fail\n    url: " + backend.url("/fail") + "\n"
                + "  - name: held\n    url: " + backend.url("/hold") + "\n";
        gateway = Gateway.start(GatewayConfigLoader.parse("status.yaml", yaml), 0, "secret", modes);
    }

    @AfterEach
    void stop() {
        backend.releaseAll("late");
        gateway.close();
        backend.close();
    }

    private HttpResponse<String> query(String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/query"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertAnswer(HttpResponse<String> response, int status, boolean partial) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).get("partial").asBoolean()).as(response.body()).isEqualTo(partial);
    }

    @Test
    void everyAdapterAnsweringIs200AndNotPartial() throws Exception {
        for (String strategy : new String[] {"all", "first_success", "best_effort"}) {
            assertAnswer(query("{\"query\": \"q\", \"adapters\": [\"ok\"], \"strategy\": \"" + strategy + "\"}"), 200, false);
        }
    }

    @Test
    void someAdapterFailingIs200AndPartial() throws Exception {
        assertAnswer(query("{\"query\": \"q\", \"adapters\": [\"ok\", \"fail\"], \"strategy\": \"all\"}"), 200, true);
        assertAnswer(query("{\"query\": \"q\", \"adapters\": [\"ok\", \"fail\"], \"strategy\": \"best_effort\"}"), 200, true);
    }

    @Test
    void firstSuccessCancellingTheSlowerAdaptersIsNotPartial() throws Exception {
        HttpResponse<String> response = query("{\"query\": \"q\", \"adapters\": [\"held\", \"ok\"], \"strategy\": \"first_success\"}");

        assertAnswer(response, 200, false);
        assertThat(JSON.readTree(response.body()).get("adapters").get(0).get("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void everyAdapterFailingIs502WithTheSameBody() throws Exception {
        for (String strategy : new String[] {"all", "first_success", "best_effort"}) {
            HttpResponse<String> response = query("{\"query\": \"q\", \"adapters\": [\"fail\"], \"strategy\": \"" + strategy + "\"}");

            assertAnswer(response, 502, true);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.get("results")).isEmpty();
            assertThat(body.get("fallback").asText()).isEqualTo("none");
            assertThat(body.get("adapters").get(0).get("error").asText()).contains("HTTP 500");
        }
    }

    @Test
    void everyCircuitOpenIs503AndTheSystemHealthToo() throws Exception {
        gateway.breakers().values().forEach(breaker -> breaker.forceOpen());

        HttpResponse<String> response = query("{\"query\": \"q\"}");
        HttpResponse<String> health = get("/health/system");

        assertAnswer(response, 503, true);
        assertThat(JSON.readTree(response.body()).get("adapters")).allSatisfy(adapter ->
                assertThat(adapter.get("status").asText()).isEqualTo("rejected"));
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("unhealthy");
    }

    @Test
    void someCircuitsOpenIsADegraded200() throws Exception {
        gateway.breakers().get("fail").forceOpen();

        HttpResponse<String> health = get("/health/system");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("degraded");
    }

    @Test
    void aCachedAnswerAfterEveryAdapterFailedIs200AndPartial() throws Exception {
        assertAnswer(query("{\"query\": \"prices\", \"adapters\": [\"ok\"]}"), 200, false);
        gateway.breakers().get("ok").forceOpen();

        HttpResponse<String> response = query("{\"query\": \"prices\", \"adapters\": [\"ok\"]}");

        assertAnswer(response, 200, true);
        assertThat(JSON.readTree(response.body()).get("fallback").asText()).isEqualTo("cache");
    }

    @Test
    void emergencyWithoutACachedAnswerIs503AndWithOneIs200() throws Exception {
        assertAnswer(query("{\"query\": \"known\", \"adapters\": [\"ok\"]}"), 200, false);
        modes.force(Mode.EMERGENCY, "drill");
        try {
            assertAnswer(query("{\"query\": \"never asked\"}"), 503, true);
            assertAnswer(query("{\"query\": \"known\"}"), 200, true);
        } finally {
            modes.release();
        }
    }
}
