package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.mode.ModeOrchestrator;
import dev.bulwark.time.ManualClock;
import dev.bulwark.yaml.GatewayConfig;
import dev.bulwark.yaml.GatewayConfigLoader;
import dev.bulwark.yaml.ReplicaSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciled write path over real HTTP, on the database a subclass gives: the worked numbers of dual-source
 * deduplication and gap interpolation, late readings, the comparison window, validation and bad input.
 */
abstract class GatewaySeriesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final ManualClock clock = new ManualClock();
    Gateway gateway;

    /** The storage block of the gateway under test: a fresh database. */
    abstract ReplicaSettings.Storage storage() throws Exception;

    @BeforeEach
    void start() throws Exception {
        GatewayConfig config = GatewayConfigLoader.parse("series.yaml", "adapters:\n  - name: a\n    url: http://127.0.0.1:9/x\n");
        ReplicaSettings replica = config.replica();
        gateway = Gateway.start(config.withReplica(replica.withStorage(storage())
                .withSeries(replica.series().toBuilder().clock(clock).buildConfig())), 0, "secret",
                ModeOrchestrator.builder("gateway").evaluationInterval(Duration.ofHours(1)).build());
    }

    @AfterEach
    void stop() {
        if (gateway != null) { // null when the database was not given and the test skipped
            gateway.close();
        }
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode send(String series, String source, String readings, int status) throws Exception {
        HttpResponse<String> response = post("/series/" + series + "/readings",
                "{\"source\": \"" + source + "\", \"readings\": " + readings + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    List<JsonNode> points(String series, String query) throws Exception {
        HttpResponse<String> response = get("/series/" + series + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> points = new ArrayList<>();
        JSON.readTree(response.body()).get("points").forEach(points::add);
        return points;
    }

    static void assertPoint(JsonNode point, long timestamp, double value, String quality) {
        assertThat(point.get("timestamp").asLong()).as(point.toString()).isEqualTo(timestamp);
        assertThat(point.get("value").asDouble()).as(point.toString()).isCloseTo(value, within(1e-12));
        assertThat(point.get("quality").asText()).as(point.toString()).isEqualTo(quality);
    }

    @Test
    void sourcesWithinHalfAPercentKeepThePrimarysValue() throws Exception {
        JsonNode first = send("pool-a", "primary", "[{\"timestamp\": 1000, \"value\": 0.0456}]", 200);
        assertThat(first.get("stored").asInt()).isEqualTo(1);
        assertPoint(points("pool-a", "").get(0), 1000, 0.0456, "single_source");

        send("pool-a", "replica", "[{\"timestamp\": 1000, \"value\": 0.0458}]", 200);

        List<JsonNode> points = points("pool-a", "?from=0&to=2000");
        assertThat(points).hasSize(1);
        assertPoint(points.get(0), 1000, 0.0456, "deduplicated");
    }

    @Test
    void sourcesFurtherApartAreAveragedAndFlagged() throws Exception {
        send("pool-a", "primary", "[{\"timestamp\": 1000, \"value\": 0.0456}]", 200);
        send("pool-a", "replica", "[{\"timestamp\": 1000, \"value\": 0.0470}]", 200);

        assertPoint(points("pool-a", "").get(0), 1000, 0.0463, "averaged_dual_source");
    }

    @Test
    void aTwentyMinuteGapIsInterpolatedEveryFiveMinutes() throws Exception {
        JsonNode answer = send("pool-a", "primary", "[{\"timestamp\": 0, \"value\": 0.050}, {\"timestamp\": 1200, \"value\": 0.060}]", 200);
        assertThat(answer.get("reconciled").get("points").asInt()).isEqualTo(5);

        List<JsonNode> points = points("pool-a", "?from=0&to=1200");
        assertThat(points).hasSize(5);
        assertPoint(points.get(0), 0, 0.050, "single_source");
        assertPoint(points.get(1), 300, 0.0525, "interpolated");
        assertPoint(points.get(2), 600, 0.055, "interpolated");
        assertPoint(points.get(3), 900, 0.0575, "interpolated");
        assertPoint(points.get(4), 1200, 0.060, "single_source");
        assertThat(points("pool-a", "?from=300&to=900")).hasSize(3);

        JsonNode quality = JSON.readTree(get("/series/pool-a/quality").body());
        assertThat(quality.get("percent").get("interpolated").asDouble()).isEqualTo(60.0);
        assertThat(quality.get("percent").get("single_source").asDouble()).isEqualTo(40.0);
        assertThat(quality.get("filled_gaps").asInt()).isEqualTo(1);
        assertThat(quality.get("unfilled_gaps")).isEmpty();
        String metrics = get("/metrics").body();
        assertThat(metrics).contains("bulwark_series_points_written_total{quality=\"interpolated\"} 3.0")
                .contains("bulwark_series_readings_total{outcome=\"stored\"} 2.0")
                .contains("# HELP bulwark_series_points_written_total ").contains("# HELP bulwark_series_readings_total ");
    }

    @Test
    void aGapOverHalfAnHourIsReportedUnfilled() throws Exception {
        send("pool-a", "primary", "[{\"timestamp\": 0, \"value\": 0.050}, {\"timestamp\": 2400, \"value\": 0.060}]", 200);

        assertThat(points("pool-a", "")).hasSize(2);
        JsonNode quality = JSON.readTree(get("/series/pool-a/quality").body());
        assertThat(quality.get("unfilled_gaps")).hasSize(1);
        assertThat(quality.get("unfilled_gaps").get(0).get("from").asLong()).isZero();
        assertThat(quality.get("unfilled_gaps").get(0).get("to").asLong()).isEqualTo(2400);
        assertThat(quality.get("unfilled_gaps").get(0).get("seconds").asLong()).isEqualTo(2400);
    }

    @Test
    void aLateReadingReplacesTheInterpolationItFallsInto() throws Exception {
        send("pool-a", "primary", "[{\"timestamp\": 0, \"value\": 0.050}, {\"timestamp\": 1200, \"value\": 0.060}]", 200);
        send("pool-a", "primary", "[{\"timestamp\": 2400, \"value\": 0.070}]", 200);
        assertThat(points("pool-a", "")).hasSize(9);

        send("pool-a", "replica", "[{\"timestamp\": 600, \"value\": 0.070}]", 200);

        List<JsonNode> points = points("pool-a", "?from=0&to=1200");
        assertThat(points).hasSize(3); // 0 -> 600 -> 1200: no step is over the 600 s gap threshold any more
        assertPoint(points.get(1), 600, 0.070, "single_source");
        assertThat(points("pool-a", "?from=1201&to=2400")).extracting(p -> p.get("quality").asText())
                .containsExactly("interpolated", "interpolated", "interpolated", "single_source");
    }

    @Test
    void theOtherSourceWithinTheComparisonWindowCountsAndAfterItIsRefused() throws Exception {
        send("pool-a", "primary", "[{\"timestamp\": 1000, \"value\": 0.0456}, {\"timestamp\": 1300, \"value\": 0.0456}]", 200);
        clock.advance(Duration.ofSeconds(299));
        send("pool-a", "replica", "[{\"timestamp\": 1000, \"value\": 0.0470}]", 200);
        clock.advance(Duration.ofSeconds(2));

        JsonNode late = send("pool-a", "replica", "[{\"timestamp\": 1300, \"value\": 0.0470}]", 400);

        assertThat(late.get("rejected").get(0).get("reason").asText()).isEqualTo("the primary reading of 1300 was "
                + "stored 301 s earlier, beyond the 300 s comparison window; the point stays as reconciled");
        List<JsonNode> points = points("pool-a", "");
        assertPoint(points.get(0), 1000, 0.0463, "averaged_dual_source");
        assertPoint(points.get(1), 1300, 0.0456, "single_source");
    }

    @Test
    void eachRefusedReadingIsReportedWithItsIndexAndReasonAndTheRestIsStored() throws Exception {
        JsonNode answer = send("pool-a", "primary", "[{\"timestamp\": 300, \"value\": 1.5}, {\"timestamp\": 600}, "
                + "{\"timestamp\": \"soon\", \"value\": 1}, {\"timestamp\": 9999999999, \"value\": 1}, "
                + "{\"timestamp\": 900, \"value\": \"high\"}, {\"timestamp\": 300, \"value\": 1.6}, 7, "
                + "{\"timestamp\": 1200, \"value\": 1, \"unit\": \"usd\"}]", 200);

        assertThat(answer.get("received").asInt()).isEqualTo(8);
        assertThat(answer.get("stored").asInt()).isEqualTo(1);
        List<String> reasons = new ArrayList<>();
        answer.get("rejected").forEach(r -> reasons.add(r.get("index").asInt() + ": " + r.get("reason").asText()));
        assertThat(reasons).containsExactly("1: missing field: value",
                "2: timestamp must be whole seconds since the epoch, >= 0, was \"soon\"",
                "3: timestamp 9999999999 is " + (9999999999L - clock.wallMillis() / 1000) + " s in the future",
                "4: value must be a number, was \"high\"",
                "5: duplicate PRIMARY reading at 300",
                "6: a reading must be an object {timestamp, value}",
                "7: unknown key 'unit'; a reading has timestamp and value");
        assertPoint(points("pool-a", "").get(0), 300, 1.5, "single_source");
    }

    @Test
    void aBatchSentAgainIsAcknowledgedWithoutStoringTwice() throws Exception {
        String batch = "[{\"timestamp\": 0, \"value\": 0.05}, {\"timestamp\": 300, \"value\": 0.051}]";
        send("pool-a", "primary", batch, 200);

        JsonNode again = send("pool-a", "primary", batch, 200);

        assertThat(again.get("stored").asInt()).isZero();
        assertThat(again.get("already_stored").asInt()).isEqualTo(2);
        JsonNode changed = send("pool-a", "primary", "[{\"timestamp\": 0, \"value\": 0.06}]", 400);
        assertThat(changed.get("rejected").get(0).get("reason").asText())
                .isEqualTo("a primary reading of 0 is already stored with value 0.05; a stored reading is never replaced");
        assertThat(points("pool-a", "")).hasSize(2);
    }

    @Test
    void theReportGivesEachDaysInterpolatedAndAveragedShares() throws Exception {
        send("pool-a", "primary", "[{\"timestamp\": 0, \"value\": 0.050}, {\"timestamp\": 1200, \"value\": 0.060}]", 200);
        send("pool-a", "replica", "[{\"timestamp\": 1200, \"value\": 0.070}]", 200);
        send("pool-a", "primary", "[{\"timestamp\": 86400, \"value\": 0.060}]", 200);

        HttpResponse<String> response = get("/series/report?from=0&to=100000");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode days = JSON.readTree(response.body()).get("days");
        assertThat(days).hasSize(2);
        assertThat(days.get(0).get("day").asText()).isEqualTo("1970-01-02");
        assertThat(days.get(0).get("unfilled_gaps").asInt()).isZero();
        JsonNode first = days.get(1);
        assertThat(first.get("day").asText()).isEqualTo("1970-01-01");
        assertThat(first.get("points").asInt()).isEqualTo(5);
        assertThat(first.get("interpolated_percent").asDouble()).isEqualTo(60.0);
        assertThat(first.get("averaged_percent").asDouble()).isEqualTo(20.0);
        assertThat(first.get("unfilled_gaps").asInt()).isEqualTo(1); // 1200 -> 86400
    }

    @Test
    void badInputGetsA4xxWithAJsonBody() throws Exception {
        record Case(String path, String body, int status, String field) {
        }
        for (Case bad : List.of(new Case("/series/pool-a/readings", "not json", 400, "body"),
                new Case("/series/pool-a/readings", "{\"source\": \"backup\", \"readings\": [{\"timestamp\": 1, \"value\": 1}]}", 400, "source"),
                new Case("/series/pool-a/readings", "{\"readings\": [{\"timestamp\": 1, \"value\": 1}]}", 400, "source"),
                new Case("/series/pool-a/readings", "{\"source\": \"primary\", \"readings\": []}", 400, "readings"),
                new Case("/series/pool-a/readings", "{\"source\": \"primary\", \"readings\": [], \"x\": 1}", 400, "x"),
                new Case("/series/bad%20name/readings", "{\"source\": \"primary\", \"readings\": [{\"timestamp\": 1, \"value\": 1}]}", 400, "name"))) {
            HttpResponse<String> response = post(bad.path(), bad.body());
            assertThat(response.statusCode()).as(bad + " -> " + response.body()).isEqualTo(bad.status());
            assertThat(JSON.readTree(response.body()).get("field").asText()).as(response.body()).isEqualTo(bad.field());
        }
        HttpResponse<String> plain = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                + "/series/pool-a/readings")).header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(get("/series/pool-a?from=5&to=1").body()).get("field").asText()).isEqualTo("from");
        assertThat(get("/series/pool-a?to=soon").statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = get("/series/nothing-here/quality");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("no series 'nothing-here' is stored");
    }
}
