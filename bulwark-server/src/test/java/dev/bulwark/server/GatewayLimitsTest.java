package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.mode.ModeOrchestrator;
import dev.bulwark.yaml.GatewayConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Amplification bounds over real HTTP: each adapter once per query, adapters per query bounded, per-client limit. */
class GatewayLimitsTest {
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

    private void start(String server, String faultTolerance) {
        String yaml = "server:\n" + server.indent(2) + "fault_tolerance:\n" + faultTolerance.indent(2)
                + "adapters:\n  - name: a\n    url: " + backend.url("/ok") + "\n  - name: b\n    url: " + backend.url("/ok")
                + "\n    fault_tolerance:\n      retry:\n        max_retries: 2\n      hedge:\n        delay: 1s\n        max_hedges: 1\n";
        gateway = Gateway.start(GatewayConfigLoader.parse("limits.yaml", yaml), 0, "secret",
                ModeOrchestrator.builder("gateway").evaluationInterval(Duration.ofHours(1)).build());
    }

    private HttpResponse<String> query(String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/query"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAdapterNamedTwiceIsRefusedByNameAndNoBackendIsCalled() throws Exception {
        start("max_adapters_per_query: 16", "retry:\n  enabled: false");

        HttpResponse<String> repeated = query("{\"query\": \"q\", \"adapters\": [\"a\", \"b\", \"a\"]}", Map.of());

        assertThat(repeated.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(repeated.body());
        assertThat(body.get("field").asText()).isEqualTo("adapters");
        assertThat(body.get("error").asText()).isEqualTo("each adapter may be named once per query; repeated: [a]");
        assertThat(backend.okCalls()).isZero();
    }

    @Test
    void theAmplificationRequestOfTheIssueIsRefusedWithoutOneBackendCall() throws Exception {
        start("max_adapters_per_query: 16", "retry:\n  enabled: false");
        String fiveThousand = "{\"query\": \"q\", \"adapters\": [" + "\"a\",".repeat(4_999) + "\"a\"]}";

        HttpResponse<String> flood = query(fiveThousand, Map.of());

        assertThat(fiveThousand.length()).isGreaterThan(20_000);
        assertThat(flood.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(flood.body()).get("error").asText())
                .isEqualTo("adapters may name at most 16 adapters (server.max_adapters_per_query), was 5000");
        assertThat(backend.okCalls()).isZero();
        assertThat(gateway.breakers().get("a").stats().totalCalls()).isZero();
    }

    @Test
    void theWorstCaseOfBackendCallsPerQueryIsShownAndHolds() throws Exception {
        start("max_adapters_per_query: 2", "retry:\n  max_retries: 1\n  backoff: fixed\n  initial_delay: 1ms");

        JsonNode limits = JSON.readTree(client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port() + "/health/system")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).get("limits");

        assertThat(limits.get("max_adapters_per_query").asInt()).isEqualTo(2);
        assertThat(limits.get("max_backend_calls_per_adapter").get("a").asInt()).as("2 attempts, no hedge").isEqualTo(2);
        assertThat(limits.get("max_backend_calls_per_adapter").get("b").asInt()).as("3 attempts x 2 calls").isEqualTo(6);
        assertThat(limits.get("max_backend_calls_per_query").asInt()).isEqualTo(8);
        assertThat(limits.get("client_rate_limit").asText()).isEqualTo("off");
        assertThat(query("{\"query\": \"q\"}", Map.of()).statusCode()).isEqualTo(200);
        assertThat(backend.okCalls()).as("each adapter once: the answers came at once").isEqualTo(2);
    }

    @Test
    void unlimitedRetriesShowTheBoundWhereBulwarkStopsThemWithoutOverflow() throws Exception {
        start("max_adapters_per_query: 2", "retry:\n  max_retries: -1\n  max_duration: 1s\n  backoff: fixed\n"
                + "  initial_delay: 1ms");

        JsonNode limits = JSON.readTree(client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port() + "/health/system")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).get("limits");

        assertThat(limits.get("max_backend_calls_per_adapter").get("a").asLong()).as("1 + Integer.MAX_VALUE - 1 attempts")
                .isEqualTo(Integer.MAX_VALUE);
        assertThat(limits.get("max_backend_calls_per_query").asLong()).as("past an int's range")
                .isEqualTo(Integer.MAX_VALUE + 6L);
    }

    @Test
    void aClientOverItsRateGets429WithRetryAfterWhileOthersGoOn() throws Exception {
        start("client_rate_limit:\n  permits_per_second: 0.001\n  burst: 2\n  max_clients: 100", "retry:\n  enabled: false");
        Map<String, String> alice = Map.of("X-Client-Id", "alice");

        assertThat(query("{\"query\": \"1\"}", alice).statusCode()).isEqualTo(200);
        assertThat(query("{\"query\": \"2\"}", alice).statusCode()).isEqualTo(200);
        HttpResponse<String> third = query("{\"query\": \"3\"}", alice);
        HttpResponse<String> bob = query("{\"query\": \"1\"}", Map.of("X-Client-Id", "bob"));

        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("Retry-After")).hasValue("1000");
        assertThat(JSON.readTree(third.body()).get("field").asText()).isEqualTo("client");
        assertThat(JSON.readTree(third.body()).get("error").asText()).contains("'alice'");
        assertThat(bob.statusCode()).isEqualTo(200);
    }

    @Test
    void withoutTheHeaderAClientIsItsRemoteAddress() throws Exception {
        start("client_rate_limit:\n  permits_per_second: 0.001\n  burst: 1", "retry:\n  enabled: false");

        assertThat(query("{\"query\": \"1\"}", Map.of()).statusCode()).isEqualTo(200);
        HttpResponse<String> second = query("{\"query\": \"2\"}", Map.of());

        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(second.body()).get("error").asText()).contains("'127.0.0.1'");
    }
}
