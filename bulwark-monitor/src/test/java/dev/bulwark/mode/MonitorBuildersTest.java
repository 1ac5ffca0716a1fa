package dev.bulwark.mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.health.HealthMonitor;
import dev.bulwark.resource.ResourceMonitor;
import dev.bulwark.resource.ResourceType;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The monitors follow core's builder template: a validating config record with a nested builder, {@code toBuilder()},
 * {@code X.of(config)}; a setting given twice fails naming it; what can be checked is checked at build().
 */
class MonitorBuildersTest {
    private final ManualClock clock = new ManualClock();

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
        failsAsGivenTwice(() -> HealthMonitor.builder("h").gracePeriod(Duration.ZERO).gracePeriod(Duration.ZERO),
                "health monitor 'h'", "gracePeriod");
        failsAsGivenTwice(() -> ResourceMonitor.builder("r").historySize(5).historySize(6), "resource monitor 'r'",
                "historySize");
        failsAsGivenTwice(() -> ResourceMonitor.builder("r").thresholds(ResourceType.CPU, 50, 60)
                .thresholds(ResourceType.CPU, 70, 80), "resource monitor 'r'", "cpu.thresholds");
        failsAsGivenTwice(() -> ResourceMonitor.builder("r").quota(ResourceType.API_QUOTA, 10, Duration.ofHours(1))
                .quota(ResourceType.API_QUOTA, 20, Duration.ofHours(1)), "resource monitor 'r'", "api_quota.quota");
    }

    @Test
    void theTimeSettingsGivenTwiceFailNamingThem() {
        failsAsGivenTwice(() -> ModeOrchestrator.builder("m").clock(clock).clock(clock), "mode 'm'", "clock");
        failsAsGivenTwice(() -> ModeOrchestrator.builder("m").scheduler(clock).clockAndScheduler(clock), "mode 'm'",
                "scheduler");
        failsAsGivenTwice(() -> HealthMonitor.builder("h").clockAndScheduler(clock).scheduler(clock),
                "health monitor 'h'", "scheduler");
        failsAsGivenTwice(() -> ResourceMonitor.builder("r").clock(clock).clockAndScheduler(clock),
                "resource monitor 'r'", "clock");
    }

    @Test
    void aHealthMonitorConfigRoundTripsThroughToBuilderAndEachSettingMayBeOverriddenOnce() {
        HealthMonitor.Config config = HealthMonitor.builder("h").historySize(7).gracePeriod(Duration.ofSeconds(2))
                .clockAndScheduler(clock).buildConfig();

        assertThat(config.toBuilder().buildConfig()).isEqualTo(config);
        HealthMonitor.Config derived = config.toBuilder().historySize(9).buildConfig();
        assertThat(derived.historySize()).isEqualTo(9);
        assertThat(derived.gracePeriod()).isEqualTo(Duration.ofSeconds(2));
        assertThat(HealthMonitor.of(derived).config()).isEqualTo(derived);
    }

    @Test
    void aResourceMonitorConfigRoundTripsThroughToBuilder() {
        ResourceMonitor.Config config = ResourceMonitor.builder("r").systemReadings(false)
                .thresholds(ResourceType.DATABASE, 60, 70).quota(ResourceType.API_QUOTA, 100, Duration.ofHours(1))
                .clockAndScheduler(clock).buildConfig();

        assertThat(config.toBuilder().buildConfig()).isEqualTo(config);
        ResourceMonitor monitor = ResourceMonitor.of(config.toBuilder().historySize(3).buildConfig());
        assertThat(monitor.config().thresholds()).containsEntry(ResourceType.DATABASE,
                new ResourceMonitor.Thresholds(60, 70));
        assertThat(monitor.config().historySize()).isEqualTo(3);
    }

    @Test
    void aModeConfigRoundTripsThroughToBuilder() {
        ModeOrchestrator.Config config = ModeOrchestrator.builder("m").historySize(5).clockAndScheduler(clock)
                .buildConfig();

        assertThat(config.toBuilder().buildConfig()).isEqualTo(config);
        assertThat(ModeOrchestrator.of(config.toBuilder().historySize(8).buildConfig()).config().historySize())
                .isEqualTo(8);
    }

    @Test
    void invalidThresholdsFailAtBuildNamingFieldValueAndRange() {
        assertThatThrownBy(() -> ResourceMonitor.builder("r").thresholds(ResourceType.CPU, 90, 80).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.field()).isEqualTo("cpu.critical");
                    assertThat(e.value()).isEqualTo("80.0");
                    assertThat(e.allowed()).contains("90.0");
                });
        assertThatThrownBy(() -> HealthMonitor.builder("h").historySize(0).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo("historySize"));
    }
}
