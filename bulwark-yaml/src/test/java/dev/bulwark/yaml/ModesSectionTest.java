package dev.bulwark.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.fanout.FanOut.Strategy;
import dev.bulwark.mode.ModeOrchestrator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The {@code modes:} block: every orchestrator threshold and each mode's behaviour, with the orchestrator's own ranges
 * reported at file, line and field.
 */
class ModesSectionTest {

    @Test
    void everyThresholdAndBehaviourIsRead() {
        GatewayConfig config = GatewayConfigLoader.parse("g.yaml", """
                modes:
                  error_rate:
                    window: 20s
                    degraded_percent: 15
                    emergency_percent: 60
                    minimum_calls: 5
                  latency:
                    window: 2m
                    degraded: 800ms
                    emergency: 3s
                    minimum_samples: 7
                  channels:
                    degraded_below: 0.6
                    emergency_below: 0.3
                    qos_hysteresis: 0.05
                    smoothing: 0.5
                    sustain: 10s
                  cooldown: 15s
                  recovery:
                    margin: 0.7
                    hold: 45s
                  evaluation_interval: 2s
                  history_size: 30
                  degraded:
                    strategy: best_effort
                    skip_optional_adapters: false
                    hedging: true
                  emergency:
                    cache_only: false
                    strategy: first_success
                adapters:
                  - name: a
                    optional: true
                """);

        ModeOrchestrator.Config modes = config.modes().orchestrator();
        assertThat(modes.errorRateWindow()).isEqualTo(Duration.ofSeconds(20));
        assertThat(modes.errorRateDegraded()).isEqualTo(15);
        assertThat(modes.errorRateEmergency()).isEqualTo(60);
        assertThat(modes.minimumCalls()).isEqualTo(5);
        assertThat(modes.performanceWindow()).isEqualTo(Duration.ofMinutes(2));
        assertThat(modes.latencyDegraded()).isEqualTo(Duration.ofMillis(800));
        assertThat(modes.latencyEmergency()).isEqualTo(Duration.ofSeconds(3));
        assertThat(modes.minimumLatencySamples()).isEqualTo(7);
        assertThat(modes.channelHealthThreshold()).isEqualTo(0.6);
        assertThat(modes.channelEmergencyThreshold()).isEqualTo(0.3);
        assertThat(modes.qosHysteresis()).isEqualTo(0.05);
        assertThat(modes.channelSmoothing()).isEqualTo(0.5);
        assertThat(modes.channelSustain()).isEqualTo(Duration.ofSeconds(10));
        assertThat(modes.cooldown()).isEqualTo(Duration.ofSeconds(15));
        assertThat(modes.recoveryMargin()).isEqualTo(0.7);
        assertThat(modes.recoveryHold()).isEqualTo(Duration.ofSeconds(45));
        assertThat(modes.evaluationInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(modes.historySize()).isEqualTo(30);
        assertThat(config.modes().degraded()).isEqualTo(new GatewayModes.Behaviour(Strategy.BEST_EFFORT, false, true, false));
        assertThat(config.modes().emergency()).isEqualTo(new GatewayModes.Behaviour(Strategy.FIRST_SUCCESS, true, false, false));
        assertThat(config.adapters().get(0).optional()).isTrue();
    }

    @Test
    void withoutTheBlockTheOrchestratorsDefaultsAndTheDefaultBehavioursApply() {
        GatewayConfig config = GatewayConfigLoader.parse("g.yaml", "adapters:\n  - name: a\n");

        assertThat(config.modes().orchestrator().errorRateDegraded()).isEqualTo(10);
        assertThat(config.modes().orchestrator().recoveryHold()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.modes().degraded()).isEqualTo(GatewayModes.Behaviour.degradedDefaults());
        assertThat(config.modes().emergency().cacheOnly()).isTrue();
        assertThat(config.adapters().get(0).optional()).isFalse();
    }

    @Test
    void anOutOfRangeThresholdFailsWithTheOrchestratorsRangeAtItsLine() {
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                modes:
                  error_rate:
                    degraded_percent: 120
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:3: modes.error_rate.degraded_percent must be in (0.0, 100.0], was 120.0");
    }

    @Test
    void aCrossFieldRangeNamesTheOtherField() {
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                modes:
                  channels:
                    degraded_below: 0.4
                    emergency_below: 0.6
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith("g.yaml:4: modes.channels.emergency_below must be in [0.0, 0.4], was 0.6");
    }

    @Test
    void aWindowOutsideItsRangeFails() {
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                modes:
                  latency:
                    window: 2h
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:3: modes.latency.window must be between 1 s and 1 h, was PT2H");
    }

    @Test
    void anUnknownStrategyOrKeyFailsNamingWhatIsAllowed() {
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                modes:
                  degraded:
                    strategy: fastest
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:3: modes.degraded.strategy must be all, first_success, best_effort or configured (the query's own), was fastest");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                modes:
                  cooldwn: 5s
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith("g.yaml:2: modes.cooldwn is not a known setting; did you mean 'cooldown'?");
    }
}
