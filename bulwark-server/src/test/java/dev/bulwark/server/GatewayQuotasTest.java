package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.time.ManualClock;
import dev.bulwark.yaml.GatewayConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code quotas:} over real HTTP: per-client usage on a sliding window of the injected clock, counted in a cost
 * header; CRITICAL degrades the query, EXHAUSTED refuses it with 429; {@code GET /resources} reports each key.
 */
class GatewayQuotasTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScriptedBackend backend = new ScriptedBackend();
    private final ManualClock clock = new ManualClock();
    private Gateway gateway;

    @BeforeEach
    void start() {
        gateway = Gateway.start(GatewayConfigLoader.parse("quotas.yaml", String.format(java.util.Locale.ROOT, """
                quotas:
                  key_header: X-Team
                  cost_header: X-Tokens
                  window: 10s
                  limit: 10
                  keys:
                    team-a: 100
                """ + GatewayTestFixtures.NO_RETRY_NO_HEALTH_MONITORING + """
                adapters:
                  - name: main
                    url: %s
                  - name: extra
                    optional: true
                    url: %s
                """, backend.url("/ok"), backend.url("/ok"))), 0, "secret", clock);
    }

    @AfterEach
    void stop() {
        gateway.close();
        backend.close();
    }

    private HttpResponse<String> query(String team, String tokens) throws Exception {
        HttpRequest.Builder request = GatewayTestFixtures.query(GatewayTestFixtures.base(gateway), "X-Team", team);
        if (tokens != null) {
            request.header("X-Tokens", tokens);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode body(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void aClientsUsageDegradesThenRefusesItsQueriesUntilTheWindowSlides() throws Exception {
        JsonNode first = body(query("team-b", "6"));
        assertThat(first.get("quota").get("key").asText()).as("an unlisted team shares 'other'").isEqualTo("other");
        assertThat(first.get("quota").get("status").asText()).isEqualTo("HEALTHY");
        assertThat(first.get("adapters")).hasSize(2);
        assertThat(body(query(null, "3")).get("quota").get("usage_percent").asDouble()).isEqualTo(60.0);

        HttpResponse<String> critical = query("team-b", "1");

        JsonNode degraded = body(critical);
        assertThat(critical.statusCode()).isEqualTo(200);
        assertThat(critical.headers().firstValue("X-Bulwark-Quota")).contains("CRITICAL");
        assertThat(degraded.get("quota").get("usage_percent").asDouble()).isEqualTo(90.0);
        assertThat(degraded.get("quota").get("action").asText()).isEqualTo("degrade");
        assertThat(degraded.get("mode").asText()).as("the gateway's mode is not the client's").isEqualTo("NORMAL");
        assertThat(degraded.get("strategy").asText()).isEqualTo("first_success");
        assertThat(degraded.get("mode_actions").get("because").asText()).isEqualTo("quota");
        assertThat(degraded.get("adapters")).extracting(one -> one.get("name").asText()).containsExactly("main");

        HttpResponse<String> exhausted = query("team-b", "1");
        assertThat(exhausted.statusCode()).isEqualTo(429);
        assertThat(exhausted.headers().firstValue("Retry-After")).contains("10");
        assertThat(body(exhausted).get("field").asText()).isEqualTo("X-Team");
        assertThat(body(exhausted).get("error").asText()).contains("'other' is exhausted");

        JsonNode listed = body(query("team-a", "50"));
        assertThat(listed.get("quota").get("status").asText()).as("another key has its own quota").isEqualTo("HEALTHY");

        clock.advance(Duration.ofSeconds(11));
        HttpResponse<String> later = query("team-b", "1");
        assertThat(later.statusCode()).isEqualTo(200);
        assertThat(body(later).get("quota").get("status").asText()).isEqualTo("HEALTHY");

        JsonNode resources = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                + "/resources")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(resources.get("key_header").asText()).isEqualTo("X-Team");
        assertThat(resources.get("unit").asText()).isEqualTo("X-Tokens");
        JsonNode other = resources.get("keys").get("other");
        assertThat(other.get("limit").asDouble()).isEqualTo(10.0);
        assertThat(other.get("usage_percent").asDouble()).isEqualTo(10.0);
        assertThat(other.get("last_24h").get("worst").asText()).isEqualTo("EXHAUSTED");
        assertThat(other.get("last_24h").get("peak_percent").asDouble()).isEqualTo(100.0);
        assertThat(resources.get("keys").get("team-a").get("limit").asDouble()).isEqualTo(100.0);
        assertThat(resources.get("keys").get("team-a").get("usage_percent").asDouble())
                .as("its 50 tokens left the 10 s window too").isEqualTo(0.0);
    }

    @Test
    void aCostThatIsNotANumberIsABadRequestNamingTheHeader() throws Exception {
        HttpResponse<String> response = query("team-a", "lots");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(body(response).get("field").asText()).isEqualTo("X-Tokens");
    }
}
