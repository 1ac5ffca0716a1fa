package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.mode.ModeOrchestrator;
import dev.bulwark.retry.Retry;
import dev.bulwark.yaml.GatewayConfigLoader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway against backends that misbehave for real, over loopback HTTP: hangs, refused connections, errors,
 * and each execution strategy and per-call policy from the YAML configuration.
 */
class GatewayResilienceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScriptedBackend backend = new ScriptedBackend();
    private Gateway gateway;

    @AfterEach
    void stop() {
        backend.releaseAll("late");
        if (gateway != null) {
            gateway.close();
        }
        backend.close();
    }

    /** Starts a gateway over {@code adapters} (YAML list items) with the given global fault_tolerance lines. */
    private void start(String faultTolerance, String adapters) {
        String yaml = "fault_tolerance:\n" + faultTolerance.indent(2) + "adapters:\n" + adapters.indent(2);
        gateway = Gateway.start(GatewayConfigLoader.parse("test.yaml", yaml), 0, "secret",
                ModeOrchestrator.builder("gateway").evaluationInterval(Duration.ofHours(1)).build());
    }

    private CompletableFuture<HttpResponse<String>> postAsync(String path, String body) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode query(String body) throws Exception {
        return query(body, 200);
    }

    private JsonNode query(String body, int expectedStatus) throws Exception {
        HttpResponse<String> response = postAsync("/query", body).get(20, TimeUnit.SECONDS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    /** Adapter {@code ok} answers at once; adapter {@code held} waits for the test, with its own operation timeout. */
    private void startOkAndHeld(String faultTolerance, String held, String operationTimeout) {
        start(faultTolerance, "- name: ok\n  url: " + backend.url("/ok") + "\n- name: " + held + "\n  url: "
                + backend.url("/hold") + "\n  fault_tolerance:\n    operation_timeout: " + operationTimeout + "\n");
    }

    private static String fill(String template, Object... values) {
        return String.format(java.util.Locale.ROOT, template, values);
    }

    private static JsonNode adapter(JsonNode answer, String name) {
        for (JsonNode one : answer.get("adapters")) {
            if (one.get("name").asText().equals(name)) {
                return one;
            }
        }
        throw new AssertionError("no adapter " + name + " in " + answer);
    }

    @Test
    void aHangingBackendTimesOutWhileTheOthersAnswer() throws Exception {
        startOkAndHeld("retry:\n  enabled: false\n", "hang", "300ms");

        JsonNode answer = query("{\"query\": \"q\"}");

        assertThat(adapter(answer, "ok").get("status").asText()).isEqualTo("succeeded");
        assertThat(adapter(answer, "hang").get("status").asText()).isEqualTo("timed_out");
        assertThat(answer.get("results")).extracting(JsonNode::asText).containsExactly("ok answer to 'q'");
        assertThat(answer.get("partial").asBoolean()).isTrue();
    }

    @Test
    void aRefusedConnectionIsAFailureThatNamesTheCause() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        start("retry:\n  enabled: false\n", fill("""
                - name: ok
                  url: %s
                - name: gone
                  url: http://127.0.0.1:%d/nothing
                """, backend.url("/ok"), closedPort));

        JsonNode gone = adapter(query("{\"query\": \"q\"}"), "gone");

        assertThat(gone.get("status").asText()).isEqualTo("failed");
        assertThat(gone.get("error").asText()).contains("Connect");
    }

    @Test
    void firstSuccessAnswersWithoutWaitingForASlowAdapterAndCancelsIt() throws Exception {
        start("", fill("""
                - name: ok
                  url: %s
                - name: slow
                  url: %s
                """, backend.url("/ok"), backend.url("/hold")));

        JsonNode answer = query("{\"query\": \"q\", \"strategy\": \"first_success\"}");

        assertThat(answer.get("strategy").asText()).isEqualTo("first_success");
        assertThat(answer.get("results")).extracting(JsonNode::asText).containsExactly("ok answer to 'q'");
        assertThat(adapter(answer, "slow").get("status").asText()).as("answered while the slow call was held")
                .isEqualTo("cancelled");
    }

    @Test
    void bestEffortReturnsWhatFinishedByTheDeadlineAndSkipsTheRest() throws Exception {
        startOkAndHeld("execution:\n  timeout: 400ms\n", "slow", "10s");

        JsonNode answer = query("{\"query\": \"q\", \"strategy\": \"best_effort\"}");

        assertThat(adapter(answer, "ok").get("status").asText()).isEqualTo("succeeded");
        assertThat(adapter(answer, "slow").get("status").asText()).isEqualTo("skipped");
        assertThat(gateway.state("slow").name()).as("skipping does not count against it").isEqualTo("CLOSED");
        assertThat(gateway.breakers().get("slow").stats().failedCalls()).isZero();
    }

    @Test
    void theRetryFromTheConfigurationRetriesAFailingBackend() throws Exception {
        start("retry:\n  max_retries: 1\n  backoff: fixed\n  initial_delay: 1ms\n", fill("""
                - name: failing
                  url: %s
                  fault_tolerance:
                    retry:
                      max_retries: 3
                """, backend.url("/fail")));

        JsonNode failing = adapter(query("{\"query\": \"q\"}", 502), "failing");

        assertThat(failing.get("status").asText()).isEqualTo("failed");
        assertThat(backend.failCalls()).as("first attempt and the adapter's 3 retries").isEqualTo(4);
        assertThat(gateway.registry().get(Retry.class, "failing").stats().retries()).isEqualTo(3);
    }

    @Test
    void theRateLimitFromTheConfigurationRejectsCallsOverTheRate() throws Exception {
        start("", fill("""
                - name: limited
                  url: %s
                  fault_tolerance:
                    rate_limit:
                      permits_per_second: 0.001
                      burst: 1
                """, backend.url("/ok")));

        JsonNode first = adapter(query("{\"query\": \"a\"}"), "limited");
        JsonNode second = adapter(query("{\"query\": \"b\"}", 503), "limited");

        assertThat(first.get("status").asText()).isEqualTo("succeeded");
        assertThat(second.get("status").asText()).isEqualTo("rejected");
        assertThat(backend.okCalls()).isEqualTo(1);
    }

    @Test
    void theBulkheadFromTheConfigurationRejectsCallsBeyondItsLimit() throws Exception {
        start("", fill("""
                - name: narrow
                  url: %s
                  fault_tolerance:
                    bulkhead:
                      max_concurrent_calls: 1
                """, backend.url("/hold")));
        CompletableFuture<HttpResponse<String>> first = postAsync("/query", "{\"query\": \"a\"}");
        backend.awaitHeld(1);

        JsonNode second = adapter(query("{\"query\": \"b\"}", 503), "narrow");
        backend.releaseAll("held answer");

        assertThat(second.get("status").asText()).isEqualTo("rejected");
        JsonNode answer = JSON.readTree(first.get(20, TimeUnit.SECONDS).body());
        assertThat(answer.get("results")).extracting(JsonNode::asText).containsExactly("held answer");
    }

    @Test
    void theHedgeFromTheConfigurationAnswersWhileTheFirstAttemptIsStuck() throws Exception {
        start("", fill("""
                - name: hedged
                  url: %s
                  fault_tolerance:
                    hedge:
                      delay: 50ms
                """, backend.url("/first-holds")));

        JsonNode answer = query("{\"query\": \"q\"}");

        assertThat(answer.get("results")).extracting(JsonNode::asText).containsExactly("quick answer");
    }

    @Test
    void tooLargeBodiesAndUnknownRoutesGetJsonErrors() throws Exception {
        start("", "- name: ok\n  url: " + backend.url("/ok") + "\n");

        HttpResponse<String> large = postAsync("/query", "{\"query\": \"" + "x".repeat(70_000) + "\"}").get(20, TimeUnit.SECONDS);
        HttpResponse<String> unknown = postAsync("/nowhere", "{}").get(20, TimeUnit.SECONDS);

        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(large.body()).get("error").asText()).contains("max_request_bytes (65536 bytes)");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).contains("/nowhere");
        assertThat(query("{\"query\": \"still fine\"}").get("results").get(0).asText()).isEqualTo("ok answer to 'still fine'");
    }
}
