package dev.bulwark.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.fanout.FanOut;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code execution:} block is the gateway fan-out's builder settings by the one rule, checked by core alone. */
class ExecutionBlockTest {

    private static GatewayConfig parse(String execution) {
        return GatewayConfigLoader.parse("e.yaml", "fault_tolerance:\n  execution:\n" + execution + "adapters:\n  - name: a\n");
    }

    @Test
    void everyExecutionKeyIsAFanOutBuilderSettingByTheRule() {
        for (String key : GatewayConfigLoader.EXECUTION) {
            assertThat(BuilderSettings.setter(FanOut.Builder.class, BuilderSettings.camelCase(key)).getName())
                    .isEqualTo(BuilderSettings.camelCase(key));
        }
    }

    @Test
    void theBlockGivesTheSameConfigAsTheBuilderWithTheSameSettings() {
        GatewayConfig config = parse("""
                    strategy: first_success
                    timeout: 2s
                    max_concurrent_adapters: 50
                    shutdown_timeout: 5s
                """);
        FanOut.Config expected = FanOut.<Object, Object>builder(GatewayConfigLoader.FAN_OUT_NAME)
                .strategy(FanOut.Strategy.FIRST_SUCCESS).timeout(Duration.ofSeconds(2)).maxConcurrentAdapters(50)
                .shutdownTimeout(Duration.ofSeconds(5)).buildConfig();
        assertThat(config.execution()).isEqualTo(expected);
    }

    @Test
    void withoutTheBlockTheDefaultsAreCores() {
        GatewayConfig config = GatewayConfigLoader.parse("e.yaml", "adapters:\n  - name: a\n");
        assertThat(config.execution()).isEqualTo(FanOut.builder(GatewayConfigLoader.FAN_OUT_NAME).buildConfig());
        assertThat(config.adapters().get(0).operationTimeout()).as("an adapter's timeout defaults to the execution's")
                .isEqualTo(config.execution().timeout());
    }

    @Test
    void rangesAreCoresAndErrorsKeepFileLineFieldValueAndRange() {
        assertThatThrownBy(() -> parse("    timeout: 1s\n    max_concurrent_adapters: 20000\n"))
                .isInstanceOf(ConfigFileException.class)
                .hasMessage("e.yaml:4: fault_tolerance.execution.max_concurrent_adapters must be in [1, 10000], was 20000");
        assertThatThrownBy(() -> parse("    shutdown_timeout: 0s\n"))
                .isInstanceOf(ConfigFileException.class)
                .hasMessage("e.yaml:3: fault_tolerance.execution.shutdown_timeout must be a positive duration, was PT0S");
        assertThatThrownBy(() -> parse("    timeout: 0s\n"))
                .isInstanceOf(ConfigFileException.class)
                .hasMessage("e.yaml:3: fault_tolerance.execution.timeout must be a positive duration, was PT0S");
        assertThatThrownBy(() -> parse("    strategy: fastest\n"))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith("e.yaml:3: fault_tolerance.execution.strategy must be one of all, first")
                .hasMessageEndingWith("was fastest");
        assertThatThrownBy(() -> parse("    max_concurent_adapters: 5\n"))
                .isInstanceOf(ConfigFileException.class).hasMessageContaining("max_concurrent_adapters");
    }

    @Test
    void theDocumentedSpellingsOfTheStrategiesAreAccepted() {
        assertThat(parse("    strategy: all\n").execution().strategy()).isEqualTo(FanOut.Strategy.ALL);
        assertThat(parse("    strategy: first_success\n").execution().strategy()).isEqualTo(FanOut.Strategy.FIRST_SUCCESS);
        assertThat(parse("    strategy: best_effort\n").execution().strategy()).isEqualTo(FanOut.Strategy.BEST_EFFORT);
    }
}
