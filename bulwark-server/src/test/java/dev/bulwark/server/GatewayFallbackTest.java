package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.time.ManualClock;
import dev.bulwark.yaml.GatewayConfigLoader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An adapter's {@code fallback:} over real HTTP: switch provider (alternative URLs in order), degrade (another
 * request), cache (the adapter's last good answer), in the configured order; the answer says which path served.
 */
class GatewayFallbackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScriptedBackend backend = new ScriptedBackend();
    private final ManualClock clock = new ManualClock();
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        backend.close();
    }

    private void start(String adapters) {
        gateway = Gateway.start(GatewayConfigLoader.parse("fallback.yaml", "fault_tolerance:\n  retry:\n    enabled: false\n"
                + "  health_monitoring:\n    enabled: false\nadapters:\n" + adapters.indent(2)), 0, "secret", clock);
    }

    private JsonNode adapter(String name) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                + "/query")).POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"q\", \"adapters\": [\"" + name + "\"]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode one : JSON.readTree(response.body()).get("adapters")) {
            if (one.get("name").asText().equals(name)) {
                return one;
            }
        }
        throw new AssertionError("no adapter " + name + " in " + response.body());
    }

    private static String fill(String template, Object... values) {
        return String.format(java.util.Locale.ROOT, template, values);
    }

    @Test
    void switchProviderTriesTheAlternativesInOrderAndTheAnswerSaysWhichServed() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        start(fill("""
                - name: search
                  url: %s
                  fallback:
                    switch_provider:
                      - http://127.0.0.1:%d/gone
                      - %s
                - name: plain
                  url: %s
                """, backend.url("/fail"), closed, backend.url("/ok"), backend.url("/ok")));

        JsonNode search = adapter("search");

        assertThat(search.get("status").asText()).isEqualTo("succeeded");
        assertThat(search.get("value").asText()).isEqualTo("ok answer to 'q'");
        assertThat(search.get("served_by").asText()).isEqualTo("switch_provider " + backend.url("/ok"));
        assertThat(backend.failCalls()).isEqualTo(1);
        assertThat(adapter("plain").get("served_by").asText()).isEqualTo("primary");
    }

    @Test
    void theConfiguredOrderWinsAndDegradeSendsTheCheaperRequest() throws Exception {
        start(fill("""
                - name: search
                  url: %s
                  fallback:
                    order: [degrade, switch_provider]
                    switch_provider: [%s]
                    degrade:
                      url: %s
                """, backend.url("/fail"), backend.url("/first-holds"), backend.url("/ok")));

        JsonNode search = adapter("search");

        assertThat(search.get("served_by").asText()).as(search.toString()).isEqualTo("degrade");
        assertThat(search.get("value").asText()).isEqualTo("ok answer to 'q'");
        assertThat(backend.firstHoldsCalls()).as("the switch comes after the degrade that answered").isZero();
    }

    @Test
    void theCacheServesTheAdaptersLastGoodAnswerWhenEverythingElseFailed() throws Exception {
        start(fill("""
                - name: search
                  url: %s
                  fallback:
                    cache:
                      ttl: 1m
                      stale_if_error: 1h
                """, backend.url("/toggle")));
        assertThat(adapter("search").get("served_by").asText()).isEqualTo("primary");
        backend.toggle(500);

        JsonNode cached = adapter("search");

        assertThat(cached.get("status").asText()).isEqualTo("succeeded");
        assertThat(cached.get("value").asText()).isEqualTo("toggled");
        assertThat(cached.get("served_by").asText()).isEqualTo("cache");
        clock.advance(Duration.ofMinutes(62));
        assertThat(adapter("search").get("status").asText()).as("past ttl + stale_if_error nothing serves").isEqualTo("failed");
    }
}
