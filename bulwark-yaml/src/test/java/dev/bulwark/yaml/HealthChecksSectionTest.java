package dev.bulwark.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code health_monitoring.checks:}: HTTP and TCP checks with their defaults and ranges, at file and line. */
class HealthChecksSectionTest {

    @Test
    void httpAndTcpChecksAreRead() {
        GatewayConfig config = GatewayConfigLoader.parse("g.yaml", """
                fault_tolerance:
                  health_monitoring:
                    checks:
                      - name: api
                        type: http
                        url: http://127.0.0.1:9100/fast
                        expected_status: 204
                        interval: 10s
                        timeout: 1s
                        critical: true
                      - name: db
                        type: tcp
                        host: db.internal
                        port: 5432
                adapters:
                  - name: a
                """);

        assertThat(config.healthMonitoring().checks()).containsExactly(
                new HealthCheckConfig("api", HealthCheckConfig.Type.HTTP, URI.create("http://127.0.0.1:9100/fast"), 204, "",
                        0, Duration.ofSeconds(10), Duration.ofSeconds(1), true),
                new HealthCheckConfig("db", HealthCheckConfig.Type.TCP, null, 0, "db.internal", 5432, null,
                        Duration.ofSeconds(5), false));
    }

    @Test
    void invalidValuesFailWithFieldValueAndRange() {
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                fault_tolerance:
                  health_monitoring:
                    checks:
                      - name: db
                        type: tcp
                        host: db
                        port: 70000
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:7: fault_tolerance.health_monitoring.checks[0].port must be in [1, 65535], was 70000");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                fault_tolerance:
                  health_monitoring:
                    checks:
                      - name: api
                        type: http
                        url: http://h/
                        expected_status: 700
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:7: fault_tolerance.health_monitoring.checks[0].expected_status must be in [100, 599], was 700");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                fault_tolerance:
                  health_monitoring:
                    checks:
                      - name: api
                        type: ping
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:5: fault_tolerance.health_monitoring.checks[0].type must be http or tcp, was ping");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                fault_tolerance:
                  health_monitoring:
                    checks:
                      - name: api
                        type: http
                        url: http://h/
                        timeout: 0s
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith("g.yaml:7: fault_tolerance.health_monitoring.checks[0].timeout must be ");
    }

    @Test
    void aNameTakenTwiceOrByABuiltInCheckFails() {
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                fault_tolerance:
                  health_monitoring:
                    checks:
                      - name: heap
                        type: tcp
                        host: h
                        port: 1
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith("g.yaml:4: fault_tolerance.health_monitoring.checks[0].name must be unique and not one of "
                        + "the built-in checks");
    }
}
