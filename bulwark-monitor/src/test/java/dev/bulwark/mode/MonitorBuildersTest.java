package dev.bulwark.mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.health.HealthMonitor;
import dev.bulwark.resource.ResourceMonitor;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The monitors follow core's builder template: a setting given twice fails naming it. */
class MonitorBuildersTest {
    private static void failsAsGivenTwice(ThrowingCallable call, String component, String setting) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.field()).isEqualTo(setting);
            assertThat(e.value()).isEqualTo("given twice");
            assertThat(e).hasMessageStartingWith(component + ": " + setting);
        });
    }

    @Test
    void aSettingGivenTwiceFailsNamingIt() {
        failsAsGivenTwice(() -> ModeOrchestrator.builder("m").historySize(5).historySize(6), "mode 'm'", "historySize");
        failsAsGivenTwice(() -> HealthMonitor.builder("h").historySize(5).historySize(6), "health monitor 'h'",
                "historySize");
        failsAsGivenTwice(() -> ResourceMonitor.builder("r").historySize(5).historySize(6), "resource monitor 'r'",
                "historySize");
    }
}
