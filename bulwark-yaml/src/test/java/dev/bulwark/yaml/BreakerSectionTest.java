package dev.bulwark.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.circuit.CircuitBreakerConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every circuit-breaker setting in YAML, laid over key by key, validated by core with file and line. */
class BreakerSectionTest {

    private static CircuitBreakerConfig breaker(String yaml, int adapter) {
        return GatewayConfigLoader.parse("g.yaml", yaml).adapters().get(adapter).circuitBreaker();
    }

    @Test
    void everyBreakerSettingIsReadGloballyAndOverriddenKeyByKey() {
        String yaml = """
                fault_tolerance:
                  failure_threshold: 0
                  failure_rate_threshold: 40
                  slow_call_rate_threshold: 80
                  slow_call_duration: 2s
                  window_type: time
                  window_size: 30
                  minimum_number_of_calls: 20
                  half_open_max_probes: 4
                  max_half_open_duration: 45s
                  backoff_multiplier: 3
                  history_size: 20
                  adaptive_threshold:
                    enabled: true
                    ewma_alpha: 0.5
                    sensitivity: 3
                  health_score:
                    track_latency: true
                    latency_samples: 100
                    min_health_score: 0.2
                    recovery_score: 0.8
                adapters:
                  - name: global
                  - name: own
                    fault_tolerance:
                      failure_rate_threshold: 25
                      window_size: 10
                      adaptive_threshold:
                        sensitivity: 1.5
                      health_score:
                        track_latency: false
                """;

        CircuitBreakerConfig global = breaker(yaml, 0);
        assertThat(global.consecutiveFailureThreshold()).isZero();
        assertThat(global.failureRateThreshold()).isEqualTo(40);
        assertThat(global.slowCallRateThreshold()).isEqualTo(80);
        assertThat(global.slowCallDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(global.windowType()).isEqualTo(CircuitBreakerConfig.WindowType.TIME_BASED);
        assertThat(global.windowSize()).isEqualTo(30);
        assertThat(global.minimumNumberOfCalls()).isEqualTo(20);
        assertThat(global.halfOpenMaxProbes()).isEqualTo(4);
        assertThat(global.maxHalfOpenDuration()).isEqualTo(Duration.ofSeconds(45));
        assertThat(global.backoffMultiplier()).isEqualTo(3.0);
        assertThat(global.historySize()).isEqualTo(20);
        assertThat(global.adaptiveThreshold()).isTrue();
        assertThat(global.ewmaAlpha()).isEqualTo(0.5);
        assertThat(global.adaptiveSensitivity()).isEqualTo(3.0);
        assertThat(global.trackLatency()).isTrue();
        assertThat(global.latencySamples()).isEqualTo(100);
        assertThat(global.minHealthScore()).isEqualTo(0.2);
        assertThat(global.healthRecoveryScore()).isEqualTo(0.8);

        CircuitBreakerConfig own = breaker(yaml, 1);
        assertThat(own.failureRateThreshold()).isEqualTo(25);
        assertThat(own.windowType()).as("the type comes from the global layer").isEqualTo(CircuitBreakerConfig.WindowType.TIME_BASED);
        assertThat(own.windowSize()).isEqualTo(10);
        assertThat(own.minimumNumberOfCalls()).isEqualTo(20);
        assertThat(own.adaptiveThreshold()).as("enabled comes from the global block").isTrue();
        assertThat(own.ewmaAlpha()).isEqualTo(0.5);
        assertThat(own.adaptiveSensitivity()).isEqualTo(1.5);
        assertThat(own.trackLatency()).isFalse();
        assertThat(own.latencySamples()).isEqualTo(100);
    }

    @Test
    void withoutBreakerKeysTheGatewayDefaultsApply() {
        CircuitBreakerConfig config = breaker("adapters:\n  - name: a\n", 0);

        assertThat(config.consecutiveFailureThreshold()).isEqualTo(5);
        assertThat(config.windowType()).isEqualTo(CircuitBreakerConfig.WindowType.COUNT_BASED);
        assertThat(config.windowSize()).isEqualTo(100);
        assertThat(config.failureRateThreshold()).isEqualTo(50);
        assertThat(config.minimumNumberOfCalls()).isEqualTo(10);
        assertThat(config.trackLatency()).as("the gateway shows a health score per adapter").isTrue();
    }

    @Test
    void aWindowTypeAloneGetsThatTypesDefaultSize() {
        assertThat(breaker("fault_tolerance:\n  window_type: time\nadapters:\n  - name: a\n", 0).windowSize()).isEqualTo(60);
        assertThat(breaker("fault_tolerance:\n  window_type: count\nadapters:\n  - name: a\n", 0).windowSize()).isEqualTo(100);
    }

    @Test
    void coresRangesBecomeErrorsWithFileLineKeyValueAndRange() {
        assertThatThrownBy(() -> breaker("""
                fault_tolerance:
                  failure_rate_threshold: 120
                adapters:
                  - name: a
                """, 0)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:2: fault_tolerance.failure_rate_threshold must be in [0.0, 100.0], was 120.0");

        assertThatThrownBy(() -> breaker("""
                adapters:
                  - name: a
                    fault_tolerance:
                      adaptive_threshold:
                        ewma_alpha: 2
                """, 0)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:5: adapters[0].fault_tolerance.adaptive_threshold.ewma_alpha must be in [0.01, 1.0], was 2.0");

        assertThatThrownBy(() -> breaker("""
                fault_tolerance:
                  window_size: 10
                  minimum_number_of_calls: 20
                adapters:
                  - name: a
                """, 0)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:3: fault_tolerance.minimum_number_of_calls must be <= windowSize (10) for a "
                        + "count-based window, was 20");

        assertThatThrownBy(() -> breaker("""
                fault_tolerance:
                  health_score:
                    min_health_score: 0.9
                    recovery_score: 0.5
                adapters:
                  - name: a
                """, 0)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:4: fault_tolerance.health_score.recovery_score must be in [0.9, 1.0], was 0.5");
    }

    @Test
    void unknownWindowTypesAndKeysAreRefused() {
        assertThatThrownBy(() -> breaker("fault_tolerance:\n  window_type: sliding\nadapters:\n  - name: a\n", 0))
                .isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:2: fault_tolerance.window_type must be count or time, was sliding");
        assertThatThrownBy(() -> breaker("fault_tolerance:\n  adaptive_threshold:\n    alpha: 0.5\nadapters:\n  - name: a\n", 0))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith("g.yaml:3: fault_tolerance.adaptive_threshold.alpha is not a known setting");
    }

    @Test
    void aFailureCountWithinATimeWindowIsReadAndValidatedByCore() {
        CircuitBreakerConfig config = breaker("""
                fault_tolerance:
                  window_type: time
                  window_size: 10
                  failure_count_threshold: 3
                adapters:
                  - name: a
                  - name: b
                    fault_tolerance:
                      failure_count_minimum_calls: 5
                """, 1);
        assertThat(config.windowType()).isEqualTo(CircuitBreakerConfig.WindowType.TIME_BASED);
        assertThat(config.windowSize()).isEqualTo(10);
        assertThat(config.failureCountThreshold()).isEqualTo(3);
        assertThat(config.failureCountMinimumCalls()).isEqualTo(5);
        assertThat(breaker("fault_tolerance:\n  failure_count_threshold: 3\nadapters:\n  - name: a\n", 0)
                .failureCountMinimumCalls()).as("without a minimum, N failures suffice").isEqualTo(3);

        assertThatThrownBy(() -> breaker("""
                fault_tolerance:
                  failure_count_threshold: 4
                  failure_count_minimum_calls: 2
                adapters:
                  - name: a
                """, 0)).isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith("g.yaml:3: fault_tolerance.failure_count_minimum_calls must be in [4,");
    }
}
