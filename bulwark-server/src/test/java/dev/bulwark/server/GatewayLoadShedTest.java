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
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An adapter's {@code load_shed} over real HTTP (priority from a configurable header, the capacity levels: LOW shed
 * from 50 % in flight, CRITICAL only at 100 %; a shed query is 503 JSON with Retry-After), and quotas steering a
 * CRITICAL client to the adapter's alternative URL and an EXHAUSTED one to its queue.
 */
class GatewayLoadShedTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScriptedBackend backend = new ScriptedBackend();
    private final ManualClock clock = new ManualClock();
    private Gateway gateway;
    @TempDir
    Path data;

    @AfterEach
    void stop() {
        backend.releaseAll("released");
        if (gateway != null) {
            gateway.close();
        }
        backend.close();
    }

    private void start(String yaml) {
        gateway = Gateway.start(GatewayConfigLoader.parse("shed.yaml", yaml), 0, "secret", clock);
    }

    private HttpRequest query(String header, String value) {
        return GatewayTestFixtures.query(GatewayTestFixtures.base(gateway), header, value).build();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void lowPriorityIsShedFirstWith503AndRetryAfterWhileCriticalStillGetsThrough() throws Exception {
        start(String.format(java.util.Locale.ROOT, GatewayTestFixtures.NO_RETRY_NO_HEALTH_MONITORING + """
                adapters:
                  - name: search
                    url: %s
                    fallback:
                      load_shed:
                        capacity: 2
                        priority_header: X-Importance
                        retry_after: 7s
                """, backend.url("/hold")));
        CompletableFuture<HttpResponse<String>> held = client.sendAsync(query("X-Importance", "normal"),
                HttpResponse.BodyHandlers.ofString());
        backend.awaitHeld(1);

        HttpResponse<String> low = send(query("X-Importance", "LOW"));

        assertThat(low.statusCode()).as(low.body()).isEqualTo(503);
        assertThat(low.headers().firstValue("Retry-After")).contains("7");
        JsonNode body = JSON.readTree(low.body());
        assertThat(body.get("fallback").asText()).isEqualTo("load_shed");
        assertThat(body.get("shed").get(0).asText()).isEqualTo("search");

        CompletableFuture<HttpResponse<String>> critical = client.sendAsync(query("X-Importance", "critical"),
                HttpResponse.BodyHandlers.ofString());
        backend.awaitHeld(1);
        backend.releaseAll("released");
        assertThat(critical.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(held.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

        CompletableFuture<HttpResponse<String>> lowWhenIdle = client.sendAsync(query("X-Importance", "low"),
                HttpResponse.BodyHandlers.ofString());
        backend.awaitHeld(1);
        backend.releaseAll("released");
        assertThat(lowWhenIdle.get(5, TimeUnit.SECONDS).statusCode()).as("nothing in flight: LOW gets through").isEqualTo(200);
    }

    @Test
    void anUnknownPriorityIs400NamingTheHeader() throws Exception {
        start(String.format(java.util.Locale.ROOT, """
                adapters:
                  - name: search
                    url: %s
                    fallback:
                      load_shed:
                        capacity: 5
                """, backend.url("/ok")));

        HttpResponse<String> bad = send(query("X-Priority", "urgent"));

        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("field").asText()).isEqualToIgnoringCase("X-Priority");
        assertThat(send(query("X-Priority", "high")).statusCode()).isEqualTo(200);
    }

    @Test
    void aCriticalQuotaSwitchesProviderAndAnExhaustedOneQueuesForLater() throws Exception {
        start(String.format(java.util.Locale.ROOT, """
                quotas:
                  key_header: X-Team
                  window: 1m
                  limit: 4
                  warning_percent: 50
                  critical_percent: 75
                  on_critical: switch_provider
                  on_exhausted: queue_for_later
                """ + GatewayTestFixtures.NO_RETRY_NO_HEALTH_MONITORING + """
                adapters:
                  - name: search
                    url: %s
                    fallback:
                      switch_provider: [%s]
                      queue_for_later:
                        directory: '%s'
                        drain_interval: 5s
                """, backend.url("/ok"), backend.url("/toggle"), data.toString().replace("'", "''")));
        for (int i = 0; i < 3; i++) {
            JsonNode healthy = JSON.readTree(send(query("X-Team", "a")).body());
            assertThat(healthy.get("adapters").get(0).get("served_by").asText()).isEqualTo("primary");
        }

        HttpResponse<String> critical = send(query("X-Team", "a"));
        JsonNode switched = JSON.readTree(critical.body());
        assertThat(critical.statusCode()).as(critical.body()).isEqualTo(200);
        assertThat(switched.get("quota").get("status").asText()).isEqualTo("CRITICAL");
        assertThat(switched.get("quota_steering").asText()).isEqualTo("switch_provider");
        assertThat(switched.get("adapters").get(0).get("served_by").asText())
                .isEqualTo("switch_provider " + backend.url("/toggle"));
        int okCalls = backend.okCalls();

        HttpResponse<String> exhausted = send(query("X-Team", "a"));
        assertThat(exhausted.statusCode()).as(exhausted.body()).isEqualTo(202);
        JsonNode queued = JSON.readTree(exhausted.body());
        assertThat(queued.get("quota_steering").asText()).isEqualTo("queue_for_later");
        String ticket = queued.get("ticket").asText();
        assertThat(backend.okCalls()).as("a queued query calls no backend now").isEqualTo(okCalls);

        clock.advance(Duration.ofSeconds(5));
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                + "/query/" + ticket)).GET().build());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).get("value").asText()).isEqualTo("ok answer to 'q'");
    }
}
