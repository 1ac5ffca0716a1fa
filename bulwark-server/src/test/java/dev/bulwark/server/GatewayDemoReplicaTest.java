package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.failover.FailoverGroup;
import dev.bulwark.mode.ModeOrchestrator;
import dev.bulwark.time.Clock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's failover group and series over real HTTP, on the bundled demo configuration: the demo load's termination
 * of the serving spot backend makes the gateway fail over, and the demo agents' readings become points of every
 * quality with an unfilled gap. The demo load's steps are driven one by one here, never on a timer.
 */
class GatewayDemoReplicaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private DemoBackends backends;
    private Gateway gateway;
    private URI base;
    @TempDir
    Path data;

    @BeforeEach
    void start() {
        backends = DemoBackends.start(0);
        gateway = Gateway.start(GatewayMain.demoConfig(backends, data), 0, "secret",
                ModeOrchestrator.builder("gateway").evaluationInterval(Duration.ofHours(1)).build());
        base = URI.create("http://127.0.0.1:" + gateway.port());
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        backends.close();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " -> " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private URI spot(String id) {
        return URI.create(backends.baseUri() + "/spot/" + id);
    }

    @SuppressWarnings("unchecked")
    private CountDownLatch nextSwitch() {
        CountDownLatch switched = new CountDownLatch(1);
        ((FailoverGroup<URI>) gateway.registry().get(FailoverGroup.class, DemoFailover.GROUP)).subscribe(event -> {
            if (event instanceof FailoverGroup.Event.Switched) {
                switched.countDown();
            }
        });
        return switched;
    }

    private String spotAnswer() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve("/query"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"q\"}")).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode adapter : JSON.readTree(response.body()).get("adapters")) {
            if (adapter.get("name").asText().equals("spot")) {
                return adapter.get("status").asText() + ":" + adapter.path("value").asText();
            }
        }
        throw new AssertionError("no spot adapter in " + response.body());
    }

    @Test
    void theDemoLoadTerminatesTheServingSpotBackendAndTheGatewayFailsOverToTheNextHealthyOne() throws Exception {
        DemoFailover terminator = new DemoFailover(client, base);
        JsonNode before = get("/failover/" + DemoFailover.GROUP);
        assertThat(before.get("mode").asText()).isEqualTo("auto");
        assertThat(before.get("current").asText()).isEqualTo(spot("a").toString());
        assertThat(spotAnswer()).isEqualTo("succeeded:spot a answer to 'q'");

        CountDownLatch switched = nextSwitch();
        assertThat(terminator.terminateServing().get(10, TimeUnit.SECONDS)).isEqualTo(spot("a"));
        assertThat(gateway.health().runNow("failover-" + DemoFailover.GROUP).toCompletableFuture().get(10, TimeUnit.SECONDS)
                .message()).contains("503");
        assertThat(switched.await(10, TimeUnit.SECONDS)).isTrue();

        JsonNode after = get("/failover/" + DemoFailover.GROUP);
        assertThat(after.get("current").asText()).isEqualTo(spot("b").toString());
        JsonNode last = after.get("last_failovers").get(0);
        assertThat(last.get("kind").asText()).isEqualTo("emergency_recovery");
        assertThat(last.get("from").asText()).isEqualTo(spot("a").toString());
        assertThat(last.get("to").asText()).isEqualTo(spot("b").toString());
        assertThat(spotAnswer()).isEqualTo("succeeded:spot b answer to 'q'");

        // the monitor's next round finds b healthy; the next termination hits b and brings a back, and a, lost
        // earlier, comes last, so c takes over
        assertThat(gateway.health().runNow("failover-" + DemoFailover.GROUP).toCompletableFuture().get(10, TimeUnit.SECONDS)
                .message()).isEqualTo(spot("b") + " answers its health check");
        CountDownLatch again = nextSwitch();
        assertThat(terminator.terminateServing().get(10, TimeUnit.SECONDS)).isEqualTo(spot("b"));
        gateway.health().runNow("failover-" + DemoFailover.GROUP).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(again.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(get("/failover/" + DemoFailover.GROUP).get("current").asText()).isEqualTo(spot("c").toString());
        assertThat(get("/failover/report").toString()).contains(DemoFailover.GROUP);
    }

    @Test
    void theDemoAgentsReportASeriesWithEveryQualityFlagAndAnUnfilledGap() throws Exception {
        long now = Clock.system().wallMillis() / 1000;
        int steps = 4 * 24;
        long first = now - (steps - 1) * DemoAgents.STEP_SECONDS - 1;
        DemoAgents agents = new DemoAgents(client, base, Clock.system(), first);
        for (int tick = 0; tick < steps / DemoAgents.STEPS_PER_TICK; tick++) {
            agents.tick().get(10, TimeUnit.SECONDS);
        }

        JsonNode points = get("/series/" + DemoAgents.SERIES + "?from=" + first + "&to=" + now).get("points");
        Map<Long, JsonNode> byStep = new HashMap<>();
        points.forEach(point -> byStep.put((point.get("timestamp").asLong() - first) / DemoAgents.STEP_SECONDS, point));
        assertThat(byStep.get(0L).get("quality").asText()).isEqualTo("deduplicated");
        assertThat(byStep.get(0L).get("value").asDouble()).isEqualTo(0.05, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(byStep.get(3L).get("quality").asText()).isEqualTo("averaged_dual_source");
        double primary = 0.050 + 0.005 * Math.sin(3 * Math.PI / 12);
        assertThat(byStep.get(3L).get("value").asDouble()).isEqualTo((primary + primary * 1.02) / 2,
                org.assertj.core.api.Assertions.within(1e-5));
        assertThat(byStep.get(8L).get("quality").asText()).isEqualTo("interpolated");
        assertThat(byStep.get(9L).get("quality").asText()).isEqualTo("interpolated");
        assertThat(byStep.get(14L).get("quality").asText()).isEqualTo("single_source");
        assertThat(byStep.get(15L).get("quality").asText()).isEqualTo("single_source");
        assertThat(byStep).doesNotContainKeys(3L * 24 + 17, 3L * 24 + 22);

        JsonNode quality = get("/series/" + DemoAgents.SERIES + "/quality");
        assertThat(quality.get("counts").get("interpolated").asLong()).isEqualTo(8);
        assertThat(quality.get("counts").get("averaged_dual_source").asLong()).isEqualTo(7);
        assertThat(quality.get("unfilled_gaps")).singleElement().satisfies(gap -> {
            assertThat(gap.get("from").asLong()).isEqualTo(first + (3L * 24 + 16) * DemoAgents.STEP_SECONDS);
            assertThat(gap.get("to").asLong()).isEqualTo(first + (3L * 24 + 23) * DemoAgents.STEP_SECONDS);
        });
        assertThat(get("/series/report?from=" + first + "&to=" + now).get("days")).isNotEmpty();
    }
}
