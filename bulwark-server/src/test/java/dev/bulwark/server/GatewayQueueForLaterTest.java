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
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An adapter's {@code queue_for_later} fallback over real HTTP: a query nothing can answer is kept in the durable
 * queue and answered 202 with a ticket; {@code GET /query/{ticket}} is 202 until the drainer (every
 * {@code drain_interval} of the gateway's clock) has run it, then the stored answer; the queue survives a restart.
 */
class GatewayQueueForLaterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScriptedBackend backend = new ScriptedBackend();
    private Gateway gateway;
    @TempDir
    Path data;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        backend.close();
    }

    private void start(ManualClock clock) {
        gateway = Gateway.start(GatewayConfigLoader.parse("queue.yaml", String.format(java.util.Locale.ROOT, """
                fault_tolerance:
                  retry:
                    enabled: false
                  health_monitoring:
                    enabled: false
                adapters:
                  - name: search
                    url: %s
                    fallback:
                      queue_for_later:
                        directory: '%s'
                        drain_interval: 10s
                """, backend.url("/toggle"), data.toString().replace("'", "''"))), 0, "secret", clock);
    }

    private HttpResponse<String> query(String text) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/query"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"" + text + "\", \"adapters\": [\"search\"]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> ticket(String ticket) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/query/" + ticket))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aQueryNothingAnswersIsQueuedWithATicketAndAnsweredOnceTheDrainerRanIt() throws Exception {
        ManualClock clock = new ManualClock();
        start(clock);
        backend.toggle(503);

        HttpResponse<String> accepted = query("q1");

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode body = JSON.readTree(accepted.body());
        String ticket = body.get("ticket").asText();
        assertThat(body.get("fallback").asText()).isEqualTo("queue_for_later");
        assertThat(body.get("tickets").get("search").asText()).isEqualTo(ticket);
        assertThat(accepted.headers().firstValue("Location")).contains("/query/" + ticket);
        HttpResponse<String> pending = ticket(ticket);
        assertThat(pending.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(pending.body()).get("status").asText()).isEqualTo("pending");
        assertThat(JSON.readTree(pending.body()).get("query").asText()).isEqualTo("q1");

        backend.toggle(200);
        clock.advance(Duration.ofSeconds(9));
        assertThat(ticket(ticket).statusCode()).as("the drain interval has not passed").isEqualTo(202);
        clock.advance(Duration.ofSeconds(1));

        HttpResponse<String> answered = ticket(ticket);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(answered.body());
        assertThat(answer.get("status").asText()).isEqualTo("answered");
        assertThat(answer.get("adapter").asText()).isEqualTo("search");
        assertThat(answer.get("query").asText()).isEqualTo("q1");
        assertThat(answer.get("value").asText()).isEqualTo("toggled");
    }

    @Test
    void aDrainThatStillFailsKeepsTheQueryWaiting() throws Exception {
        ManualClock clock = new ManualClock();
        start(clock);
        backend.toggle(503);
        String ticket = JSON.readTree(query("q2").body()).get("ticket").asText();

        clock.advance(Duration.ofSeconds(10));

        assertThat(ticket(ticket).statusCode()).isEqualTo(202);
        backend.toggle(200);
        clock.advance(Duration.ofSeconds(10));
        assertThat(ticket(ticket).statusCode()).isEqualTo(200);
    }

    @Test
    void theQueueSurvivesARestartOnTheSameDirectory() throws Exception {
        start(new ManualClock());
        backend.toggle(503);
        String ticket = JSON.readTree(query("kept").body()).get("ticket").asText();
        gateway.close();
        gateway = null;
        backend.toggle(200);

        ManualClock later = new ManualClock();
        start(later);
        assertThat(ticket(ticket).statusCode()).as("still waiting after the restart").isEqualTo(202);
        later.advance(Duration.ofSeconds(10));

        HttpResponse<String> answered = ticket(ticket);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        assertThat(JSON.readTree(answered.body()).get("query").asText()).isEqualTo("kept");

        gateway.close();
        gateway = null;
        start(new ManualClock());
        assertThat(ticket(ticket).statusCode()).as("the stored answer survives a restart too").isEqualTo(200);
    }

    @Test
    void badAndUnknownTicketsAre404WithAJsonBody() throws Exception {
        start(new ManualClock());

        HttpResponse<String> bad = ticket("not-a-ticket");
        HttpResponse<String> unknown = ticket(UUID.randomUUID().toString());

        assertThat(bad.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(bad.body()).get("field").asText()).isEqualTo("ticket");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).contains("no queued query");
    }

    @Test
    void anAdapterThatAnswersIsNotQueued() throws Exception {
        start(new ManualClock());

        HttpResponse<String> answered = query("fine");

        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answered.body()).has("ticket")).isFalse();
    }
}
