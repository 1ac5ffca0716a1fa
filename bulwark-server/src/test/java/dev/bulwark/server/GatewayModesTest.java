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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code modes:} block over real HTTP: its thresholds decide the mode, each mode changes what a query does,
 * {@code /mode} shows it all, an operator forces and releases it, and every response names the mode.
 */
class GatewayModesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScriptedBackend backend = new ScriptedBackend();
    private final ManualClock clock = new ManualClock();
    private Gateway gateway;

    @AfterEach
    void stop() {
        backend.releaseAll("late");
        if (gateway != null) {
            gateway.close();
        }
        backend.close();
    }

    private void start(String modes, String adapters) {
        // the machine's own health (CPU load of a busy build host) must not hold the mode: only the test's signals count
        String yaml = "modes:\n" + modes.indent(2) + "fault_tolerance:\n  retry:\n    enabled: false\n"
                + "  health_monitoring:\n    enabled: false\nadapters:\n" + adapters.indent(2);
        gateway = Gateway.start(GatewayConfigLoader.parse("modes.yaml", yaml), 0, "secret", clock);
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(20)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode mode() throws Exception {
        HttpResponse<String> response = send("GET", "/mode", null, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> query(String body) throws Exception {
        return send("POST", "/query", body, null);
    }

    private static List<String> transitions(JsonNode mode) {
        List<String> out = new ArrayList<>();
        mode.get("history").forEach(change -> out.add(change.get("from").asText() + "->" + change.get("to").asText()
                + ":" + change.get("trigger").asText()));
        return out;
    }

    @Test
    void theYamlThresholdsDecideTheModeAndGetModeShowsTriggerReasonMetricsAndHistory() throws Exception {
        // 50 % errors over 4 calls: DEGRADED by these thresholds; the defaults (10 calls, EMERGENCY at 50 %) would differ
        start("""
                error_rate:
                  window: 10s
                  degraded_percent: 20
                  emergency_percent: 90
                  minimum_calls: 4
                cooldown: 0s
                """, "- name: ok\n  url: " + backend.url("/ok") + "\n- name: bad\n  url: " + backend.url("/fail") + "\n");
        assertThat(query("{\"query\": \"a\"}").headers().firstValue(ModeRoutes.HEADER)).contains("NORMAL");
        query("{\"query\": \"b\"}");

        clock.advance(Duration.ofSeconds(1));

        JsonNode mode = mode();
        assertThat(mode.get("mode").asText()).isEqualTo("DEGRADED");
        assertThat(mode.get("trigger").asText()).isEqualTo("ERROR_RATE");
        assertThat(mode.get("reason").asText()).contains("50");
        assertThat(mode.get("metrics").get("errorRatePercent").asDouble()).isEqualTo(50.0);
        assertThat(mode.get("metrics").get("calls").asDouble()).isEqualTo(4.0);
        assertThat(transitions(mode)).containsExactly("NORMAL->DEGRADED:ERROR_RATE");
        assertThat(mode.get("history").get(0).get("snapshot").get("errorRatePercent").asDouble()).isEqualTo(50.0);
        assertThat(mode.get("behaviour").get("strategy").asText()).isEqualTo("first_success");
        assertThat(send("GET", "/health/adapters", null, null).headers().firstValue(ModeRoutes.HEADER)).contains("DEGRADED");
        assertThat(send("GET", "/no-such-route", null, null).headers().firstValue(ModeRoutes.HEADER)).contains("DEGRADED");
    }

    @Test
    void degradedSwitchesToFirstSuccessSkipsOptionalAdaptersAndTurnsHedgingOff() throws Exception {
        start("", fill("""
                - name: hedged
                  url: %s
                  fault_tolerance:
                    operation_timeout: 300ms
                    hedge:
                      delay: 20ms
                - name: extra
                  optional: true
                  url: %s
                """, backend.url("/first-holds"), backend.url("/ok")));
        assertThat(send("POST", "/mode/force", "{\"mode\": \"DEGRADED\", \"reason\": \"drill\"}", "secret").statusCode())
                .isEqualTo(200);

        HttpResponse<String> response = query("{\"query\": \"q\"}");

        JsonNode answer = JSON.readTree(response.body());
        assertThat(response.headers().firstValue(ModeRoutes.HEADER)).contains("DEGRADED");
        assertThat(answer.get("mode").asText()).isEqualTo("DEGRADED");
        assertThat(answer.get("strategy").asText()).isEqualTo("first_success");
        assertThat(answer.get("mode_actions").get("skipped_optional")).extracting(JsonNode::asText).containsExactly("extra");
        assertThat(answer.get("adapters")).extracting(one -> one.get("name").asText()).containsExactly("hedged");
        // without its hedge the held first call is all the adapter makes, and it times out
        assertThat(answer.get("adapters").get(0).get("status").asText()).isEqualTo("timed_out");
        assertThat(backend.firstHoldsCalls()).isEqualTo(1);
        assertThat(backend.okCalls()).isZero();

        send("POST", "/mode/release", null, "secret");
        advanceSeconds(61);
        assertThat(mode().get("mode").asText()).isEqualTo("NORMAL");
        JsonNode normal = JSON.readTree(query("{\"query\": \"q\"}").body());
        // in NORMAL the hedge races the held call and wins, and the optional adapter is asked
        assertThat(normal.get("strategy").asText()).isEqualTo("all");
        assertThat(normal.get("results")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("quick answer", "ok answer to 'q'");
        assertThat(normal.has("mode_actions")).isFalse();
    }

    @Test
    void forceNeedsTheAdminTokenEmergencyAnswersFromCacheAndReleaseRecoversAfterTheConfiguredHold() throws Exception {
        start("""
                cooldown: 0s
                recovery:
                  hold: 5s
                """, "- name: ok\n  url: " + backend.url("/ok") + "\n");
        assertThat(query("{\"query\": \"cached\"}").statusCode()).isEqualTo(200);
        assertThat(send("POST", "/mode/force", "{\"mode\": \"EMERGENCY\"}", null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/mode/force", "{\"mode\": \"EMERGENCY\"}", "wrong").statusCode()).isEqualTo(403);
        HttpResponse<String> bad = send("POST", "/mode/force", "{\"mode\": \"PANIC\"}", "secret");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("field").asText()).isEqualTo("mode");

        HttpResponse<String> forced = send("POST", "/mode/force", "{\"mode\": \"EMERGENCY\", \"reason\": \"drill\"}", "secret");

        assertThat(forced.statusCode()).isEqualTo(200);
        assertThat(forced.headers().firstValue(ModeRoutes.HEADER)).contains("EMERGENCY");
        JsonNode mode = JSON.readTree(forced.body());
        assertThat(mode.get("mode").asText()).isEqualTo("EMERGENCY");
        assertThat(mode.get("trigger").asText()).isEqualTo("MANUAL");
        assertThat(mode.get("reason").asText()).contains("drill");
        int okCallsBefore = backend.okCalls();
        HttpResponse<String> fromCache = query("{\"query\": \"cached\"}");
        assertThat(fromCache.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(fromCache.body()).get("fallback").asText()).isEqualTo("cache");
        assertThat(query("{\"query\": \"never asked\"}").statusCode()).isEqualTo(503);
        assertThat(backend.okCalls()).isEqualTo(okCallsBefore);

        assertThat(send("POST", "/mode/release", null, null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/mode/release", null, "secret").statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(3));
        assertThat(mode().get("mode").asText()).as("the 5 s recovery hold has not passed").isEqualTo("EMERGENCY");
        advanceSeconds(15);

        JsonNode recovered = mode();
        assertThat(recovered.get("mode").asText()).isEqualTo("NORMAL");
        assertThat(transitions(recovered)).containsExactly("NORMAL->EMERGENCY:MANUAL", "EMERGENCY->DEGRADED:RECOVERY",
                "DEGRADED->NORMAL:RECOVERY");
    }

    /** Second by second, so that each periodic evaluation runs at its time. */
    private void advanceSeconds(int seconds) {
        for (int second = 0; second < seconds; second++) {
            clock.advance(Duration.ofSeconds(1));
        }
    }

    private static String fill(String template, Object... values) {
        return String.format(java.util.Locale.ROOT, template, values);
    }
}
