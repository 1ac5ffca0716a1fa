package dev.bulwark.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.health.HealthMonitor;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code health_monitoring} is the gateway's health monitor settings: its keys are the monitor builder's setters by
 * the one rule, and only the monitor's own config checks their ranges; errors keep file, line, field, value, range.
 */
class HealthMonitoringSectionTest {

    @Test
    void theBlocksKeysAreTheHealthMonitorsSettings() {
        GatewayConfig config = GatewayConfigLoader.parse("g.yaml", """
                fault_tolerance:
                  health_monitoring:
                    enabled: false
                    check_interval: 5s
                    history_size: 20
                adapters:
                  - name: a
                """);

        assertThat(config.healthMonitoring().enabled()).isFalse();
        HealthMonitor.Config monitor = config.healthMonitoring().monitor();
        assertThat(monitor.checkInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(monitor.historySize()).isEqualTo(20);
        assertThat(monitor.name()).isEqualTo("gateway");
    }

    @Test
    void withoutTheBlockTheMonitorsDefaultsApply() {
        GatewayConfig config = GatewayConfigLoader.parse("g.yaml", """
                adapters:
                  - name: a
                """);

        assertThat(config.healthMonitoring().enabled()).isTrue();
        assertThat(config.healthMonitoring().monitor()).isEqualTo(HealthMonitor.builder("gateway").buildConfig());
    }

    @Test
    void anOutOfRangeValueFailsWithTheMonitorsRangeAtTheKeysLine() {
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                fault_tolerance:
                  health_monitoring:
                    history_size: 0
                adapters:
                  - name: a
                """)).isInstanceOfSatisfying(ConfigFileException.class, e -> {
                    assertThat(e.file()).isEqualTo("g.yaml");
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.field()).isEqualTo("fault_tolerance.health_monitoring.history_size");
                    assertThat(e).hasMessage("g.yaml:3: fault_tolerance.health_monitoring.history_size must be in [1, 100000], was 0");
                });
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                fault_tolerance:
                  health_monitoring:
                    enabled: true
                    check_interval: 0s
                adapters:
                  - name: a
                """)).isInstanceOfSatisfying(ConfigFileException.class, e -> {
                    assertThat(e.line()).isEqualTo(4);
                    assertThat(e.field()).isEqualTo("fault_tolerance.health_monitoring.check_interval");
                });
    }

    @Test
    void everyHealthKeyIsASetterOfTheMonitorsBuilderByTheRule() {
        for (String key : GatewayConfigLoader.HEALTH_SETTINGS) {
            assertThat(BuilderSettings.setter(HealthMonitor.Config.Builder.class, BuilderSettings.camelCase(key))
                    .getName()).isEqualTo(BuilderSettings.camelCase(key));
        }
    }
}
