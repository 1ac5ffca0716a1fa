package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.time.ManualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bundled demo (examples/demo.yaml over the demo backends) over real HTTP, as the README's walkthrough drives it:
 * a team's quota runs out (a provider switch at CRITICAL, the query queued at EXHAUSTED and later answered), and a
 * forced mode shows in every answer.
 */
class GatewayDemoTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ManualClock clock = new ManualClock();
    private DemoBackends backends;
    private Gateway gateway;

    @BeforeEach
    void start() {
        backends = DemoBackends.start(0);
        gateway = Gateway.start(GatewayMain.demoConfig(backends), 0, "demo-token", clock);
    }

    @AfterEach
    void stop() {
        gateway.close();
        backends.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String team, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(20)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (team != null) {
            request.header("X-Team", team);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
    void aTeamsQuotaSwitchesTheProviderThenQueuesAndTheQueuedQueryIsAnsweredLater() throws Exception {
        String query = "{\"query\": \"hello\", \"adapters\": [\"fast\", \"flaky\"]}";
        for (int i = 0; i < 3; i++) {
            JsonNode healthy = JSON.readTree(send("POST", "/query", query, "curious-newcomer", null).body());
            assertThat(adapter(healthy, "fast").get("served_by").asText()).isEqualTo("primary");
        }

        JsonNode critical = JSON.readTree(send("POST", "/query", query, "curious-newcomer", null).body());
        assertThat(critical.get("quota").get("status").asText()).isEqualTo("CRITICAL");
        assertThat(adapter(critical, "fast").get("served_by").asText())
                .isEqualTo("switch_provider " + backends.baseUri() + "/backup");
        assertThat(adapter(critical, "fast").get("value").asText()).isEqualTo("backup answer to 'hello'");

        HttpResponse<String> exhausted = send("POST", "/query", query, "curious-newcomer", null);
        JsonNode kept = JSON.readTree(exhausted.body());
        assertThat(kept.get("quota").get("status").asText()).isEqualTo("EXHAUSTED");
        assertThat(kept.get("quota_steering").asText()).isEqualTo("queue_for_later");
        String ticket = kept.get("tickets").get("flaky").asText();
        assertThat(exhausted.statusCode()).as("fast answered, flaky kept the query").isEqualTo(200);
        assertThat(send("GET", "/query/" + ticket, null, null, null).statusCode()).isEqualTo(202);

        // the demo's flaky backend fails 4 times in 10; a failed drain keeps the query for the next tick
        HttpResponse<String> later = null;
        for (int tick = 0; tick < 30 && (later == null || later.statusCode() != 200); tick++) {
            clock.advance(Duration.ofSeconds(10));
            later = send("GET", "/query/" + ticket, null, null, null);
        }
        assertThat(later.statusCode()).as(later.body()).isEqualTo(200);
        assertThat(JSON.readTree(later.body()).get("value").asText()).isEqualTo("flaky answer to 'hello'");
    }

    @Test
    void aForcedModeShowsInEveryAnswerAndInGetMode() throws Exception {
        HttpResponse<String> forced = send("POST", "/mode/force", "{\"mode\": \"DEGRADED\", \"reason\": \"walkthrough\"}",
                null, "demo-token");
        assertThat(forced.statusCode()).as(forced.body()).isEqualTo(200);

        HttpResponse<String> answer = send("POST", "/query", "{\"query\": \"hi\"}", null, null);
        assertThat(answer.headers().firstValue(ModeRoutes.HEADER)).contains("DEGRADED");
        assertThat(JSON.readTree(answer.body()).get("strategy").asText()).isEqualTo("first_success");
        JsonNode mode = JSON.readTree(send("GET", "/mode", null, null, null).body());
        assertThat(mode.get("trigger").asText()).isEqualTo("MANUAL");
        assertThat(mode.get("reason").asText()).contains("walkthrough");

        assertThat(send("POST", "/mode/release", null, null, "demo-token").statusCode()).isEqualTo(200);
    }
}
