package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.health.HealthCheck;
import dev.bulwark.health.HealthStatus;
import dev.bulwark.server.events.GatewayEvent;
import dev.bulwark.time.ManualClock;
import dev.bulwark.yaml.GatewayConfigLoader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code health_monitoring.checks:} over real HTTP and TCP on loopback: expected statuses, connects, the interval on
 * the injected clock, the critical flag, {@code /health/system}, and each change delivered to the event handler.
 */
class GatewayHealthChecksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScriptedBackend backend = new ScriptedBackend();
    private final ManualClock clock = new ManualClock();
    private Gateway gateway;

    @BeforeEach
    void clearRecorded() {
        RecordingListener.clear();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        backend.close();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean changeOf(GatewayEvent event, String check, HealthStatus to) {
        return event instanceof GatewayEvent.HealthChanged changed && changed.check().equals(check) && changed.to() == to;
    }

    private HealthCheck.Result runNow(String check) throws Exception {
        return gateway.health().runNow(check).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void configuredChecksRunOnTheirIntervalHonourTheirExpectationsAndReportChangesToTheEventHandler() throws Exception {
        backend.toggle(503);
        int closed = closedPort();
        gateway = Gateway.start(GatewayConfigLoader.parse("checks.yaml", String.format(java.util.Locale.ROOT, """
                fault_tolerance:
                  event_handler:
                    type: custom
                    class: %s
                  health_monitoring:
                    check_interval: 1h
                    checks:
                      - name: toggled
                        type: http
                        url: %s
                        interval: 5s
                        timeout: 2s
                      - name: expects-500
                        type: http
                        url: %s
                        expected_status: 500
                      - name: port-open
                        type: tcp
                        host: 127.0.0.1
                        port: %d
                      - name: port-closed
                        type: tcp
                        host: 127.0.0.1
                        port: %d
                        critical: true
                adapters:
                  - name: ok
                    url: %s
                """, RecordingListener.class.getName(), backend.url("/toggle"), backend.url("/fail"), backend.port(), closed,
                backend.url("/ok"))), 0, "secret", clock);

        clock.runDueTasks();

        GatewayEvent down = RecordingListener.await(event -> changeOf(event, "toggled", HealthStatus.UNHEALTHY));
        assertThat(((GatewayEvent.HealthChanged) down).message()).contains("HTTP 503, expected 200");
        GatewayEvent refused = RecordingListener.await(event -> changeOf(event, "port-closed", HealthStatus.UNHEALTHY));
        assertThat(((GatewayEvent.HealthChanged) refused).message()).contains("cannot connect to 127.0.0.1:" + closed);
        RecordingListener.await(event -> changeOf(event, "aggregate", HealthStatus.UNHEALTHY));
        assertThat(runNow("expects-500").status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(runNow("port-open").status()).isEqualTo(HealthStatus.HEALTHY);

        HttpResponse<String> system = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                + "/health/system")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(system.statusCode()).as("a critical check is unhealthy").isEqualTo(503);
        JsonNode checks = JSON.readTree(system.body()).get("checks");
        assertThat(checks.get("port-closed").get("status").asText()).isEqualTo("UNHEALTHY");
        assertThat(checks.get("port-open").get("status").asText()).isEqualTo("HEALTHY");
        assertThat(checks.get("expects-500").get("status").asText()).isEqualTo("HEALTHY");
        assertThat(checks.get("toggled").get("status").asText()).isEqualTo("UNHEALTHY");

        backend.toggle(200);
        clock.advance(Duration.ofSeconds(5));

        RecordingListener.await(event -> changeOf(event, "toggled", HealthStatus.HEALTHY));
        assertThat(gateway.health().history("toggled")).as("one run at start, one 5 s later").hasSize(2);
        assertThat(gateway.health().history("port-closed")).as("its interval is the monitor's hour").hasSize(1);
    }

    @Test
    void aNonCriticalCheckThatFailsOnlyDegradesTheGateway() throws Exception {
        int closed = closedPort();
        gateway = Gateway.start(GatewayConfigLoader.parse("checks.yaml", String.format(java.util.Locale.ROOT, """
                fault_tolerance:
                  event_handler:
                    type: custom
                    class: %s
                  health_monitoring:
                    check_interval: 1h
                    checks:
                      - name: port-closed
                        type: tcp
                        host: 127.0.0.1
                        port: %d
                adapters:
                  - name: ok
                    url: %s
                """, RecordingListener.class.getName(), closed, backend.url("/ok"))), 0, "secret", clock);

        clock.runDueTasks();

        RecordingListener.await(event -> changeOf(event, "port-closed", HealthStatus.UNHEALTHY));
        assertThat(gateway.health().report().status()).isNotEqualTo(HealthStatus.UNHEALTHY);
        assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/health/system"))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
}
