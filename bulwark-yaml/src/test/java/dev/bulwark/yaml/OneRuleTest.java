package dev.bulwark.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.TimedBuilder;
import dev.bulwark.bulkhead.BulkheadConfig;
import dev.bulwark.circuit.CircuitBreakerConfig;
import dev.bulwark.hedge.HedgeConfig;
import dev.bulwark.ratelimit.RateLimiterConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** YAML keys map to core builder settings by one rule (snake_case), and only core checks ranges. */
class OneRuleTest {

    @Test
    void theRuleIsSnakeCaseBothWays() {
        assertThat(BuilderSettings.snakeCase("maxConcurrentCalls")).isEqualTo("max_concurrent_calls");
        assertThat(BuilderSettings.camelCase("max_concurrent_calls")).isEqualTo("maxConcurrentCalls");
        assertThat(BuilderSettings.camelCase("delay")).isEqualTo("delay");
    }

    @Test
    void everyPolicyKeyIsASetterOfItsCoreBuilderByTheRule() {
        Map<Class<?>, Set<String>> blocks = Map.of(BulkheadConfig.Builder.class, Set.of("max_concurrent_calls", "max_wait", "max_waiting_calls"),
                RateLimiterConfig.Builder.class, Set.of("permits_per_second", "burst", "max_wait"),
                HedgeConfig.Builder.class, Set.of("delay", "max_hedges"));
        blocks.forEach((builder, keys) -> keys.forEach(key ->
                assertThat(BuilderSettings.setter(builder, BuilderSettings.camelCase(key)).getName())
                        .isEqualTo(BuilderSettings.camelCase(key))));
    }

    @Test
    void theTimeSettersBuildersInheritAreSeenButNoBlockOffersThemAsKeys() {
        assertThat(BuilderSettings.setter(BulkheadConfig.Builder.class, "clock").getDeclaringClass())
                .isEqualTo(TimedBuilder.class);
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                fault_tolerance:
                  bulkhead:
                    clock: system
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith("g.yaml:3: fault_tolerance.bulkhead.clock is not a known setting");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                fault_tolerance:
                  execution:
                    scheduler: system
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith("g.yaml:3: fault_tolerance.execution.scheduler is not a known setting");
    }

    @Test
    void everyBreakerKeyIsASetterByTheRuleOrByItsListedAlias() {
        for (String key : BreakerSection.KEYS) {
            if (key.equals("adaptive_threshold") || key.equals("health_score")) {
                continue;
            }
            String setting = BreakerSection.ALIASES.getOrDefault(key, BuilderSettings.camelCase(key));
            assertThat(BuilderSettings.setter(CircuitBreakerConfig.Builder.class, setting)).isNotNull();
        }
        for (String key : BreakerSection.ADAPTIVE) {
            String setting = BreakerSection.ALIASES.getOrDefault("adaptive_threshold." + key, BuilderSettings.camelCase(key));
            assertThat(BuilderSettings.setter(CircuitBreakerConfig.Builder.class, setting)).isNotNull();
        }
        for (String key : BreakerSection.HEALTH) {
            String setting = BreakerSection.ALIASES.getOrDefault("health_score." + key, BuilderSettings.camelCase(key));
            assertThat(BuilderSettings.setter(CircuitBreakerConfig.Builder.class, setting)).isNotNull();
        }
        assertThat(BreakerSection.ALIASES).as("aliases only where the rule cannot hold").allSatisfy((key, setting) ->
                assertThat(BuilderSettings.snakeCase(setting)).isNotEqualTo(key.substring(key.lastIndexOf('.') + 1)));
    }

    @Test
    void hedgeDelayIsTheHedgesDelayAndItsErrorsSayHedgeDelay() {
        GatewayConfig config = GatewayConfigLoader.parse("h.yaml", """
                fault_tolerance:
                  retry:
                    initial_delay: 300ms
                  hedge:
                    delay: 40ms
                    max_hedges: 2
                adapters:
                  - name: a
                """);
        assertThat(config.adapters().get(0).policies().hedge()).isEqualTo(new Policies.HedgeSettings(Duration.ofMillis(40), 2));
        assertThat(config.adapters().get(0).policies().retry().initialDelay()).isEqualTo(Duration.ofMillis(300));

        assertThatThrownBy(() -> GatewayConfigLoader.parse("h.yaml", """
                fault_tolerance:
                  hedge:
                    max_hedges: 2
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("h.yaml:3: fault_tolerance.hedge.delay must be set (it has no default), was not set");
    }

    @Test
    void rangesAreCoresAndTheSameInYamlAsInCode() {
        GatewayConfig config = GatewayConfigLoader.parse("b.yaml", """
                fault_tolerance:
                  bulkhead:
                    max_concurrent_calls: 500000
                adapters:
                  - name: a
                """);
        assertThat(config.adapters().get(0).policies().bulkhead().maxConcurrentCalls())
                .as("core allows up to 1,000,000").isEqualTo(500_000);
        assertThatThrownBy(() -> GatewayConfigLoader.parse("b.yaml", """
                fault_tolerance:
                  bulkhead:
                    max_concurrent_calls: 2000000
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("b.yaml:3: fault_tolerance.bulkhead.max_concurrent_calls must be in [1, 1000000], was 2000000");
    }

    @Test
    void aSettingGivenGloballyAndPerAdapterIsMergedNotGivenTwice() {
        GatewayConfig config = GatewayConfigLoader.parse("m.yaml", """
                fault_tolerance:
                  success_threshold: 2
                  health_score:
                    track_latency: false
                  bulkhead:
                    max_concurrent_calls: 4
                adapters:
                  - name: a
                    fault_tolerance:
                      success_threshold: 4
                      health_score:
                        track_latency: true
                      bulkhead:
                        max_concurrent_calls: 6
                """);
        assertThat(config.adapters().get(0).circuitBreaker().successThreshold()).isEqualTo(4);
        assertThat(config.adapters().get(0).circuitBreaker().trackLatency()).isTrue();
        assertThat(config.adapters().get(0).policies().bulkhead().maxConcurrentCalls()).isEqualTo(6);
    }
}
