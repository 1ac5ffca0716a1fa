package dev.bulwark.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.fanout.Strategy;
import dev.bulwark.time.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigLoaderTest {

    @Test
    void theExampleFileLoadsWithPerAdapterOverrides() {
        GatewayConfig config = GatewayConfigLoader.load(Path.of("..", "examples", "gateway.yaml"));

        assertThat(config.execution().strategy()).isEqualTo(Strategy.ALL);
        assertThat(config.execution().timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.adapters()).extracting(GatewayConfig.Adapter::name).containsExactly("fast", "flaky");
        GatewayConfig.Adapter fast = config.adapters().get(0);
        GatewayConfig.Adapter flaky = config.adapters().get(1);
        assertThat(fast.circuitBreaker().consecutiveFailureThreshold()).isEqualTo(5);
        assertThat(fast.operationTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(flaky.circuitBreaker().consecutiveFailureThreshold()).isEqualTo(10);
        assertThat(flaky.circuitBreaker().recoveryTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(flaky.circuitBreaker().maxRecoveryTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(flaky.circuitBreaker().retentionPeriod()).as("inherited").isEqualTo(Duration.ofHours(24));
        assertThat(flaky.operationTimeout()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void adaptersTakeAMethodHeadersAndABodyTemplate() {
        GatewayConfig config = GatewayConfigLoader.parse("g.yaml", """
                adapters:
                  - name: search
                    url: http://127.0.0.1:9100/search
                    method: post
                    headers:
                      X-Api-Key: abc
                    body_template: '{"q": "{{query}}", "limit": 5}'
                  - name: plain
                    url: http://127.0.0.1:9100/plain
                """);

        GatewayConfig.Adapter search = config.adapters().get(0);
        assertThat(search.method()).isEqualTo("POST");
        assertThat(search.headers()).containsEntry("X-Api-Key", "abc");
        assertThat(search.bodyTemplate()).isEqualTo("{\"q\": \"{{query}}\", \"limit\": 5}");
        assertThat(config.adapters().get(1).method()).isEqualTo("GET");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                adapters:
                  - name: a
                    method: DELETE
                """)).hasMessage("g.yaml:3: adapters[0].method must be GET or POST, was DELETE");
    }

    @Test
    void durationsAcceptUnitsAndPlainSeconds() {
        GatewayConfig config = GatewayConfigLoader.parse("g.yaml", """
                fault_tolerance:
                  recovery_timeout: 60.0
                  max_recovery_timeout: 5m
                  execution:
                    timeout: 500ms
                adapters:
                  - name: a
                """);

        assertThat(config.adapters().get(0).circuitBreaker().recoveryTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.adapters().get(0).circuitBreaker().maxRecoveryTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.execution().timeout()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void errorsNameTheFileLineFieldValueAndRange() {
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                fault_tolerance:
                  failure_threshold: -1
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:2: fault_tolerance.failure_threshold must be an integer in [0, 1000000], was -1");

        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                adapters:
                  - name: a
                    fault_tolerance:
                      recovery_timeout: 10m
                      max_recovery_timeout: 1m
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:5: adapters[0].fault_tolerance.max_recovery_timeout must be >= recoveryTimeout (PT10M), was PT1M");

        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                fault_tolerance:
                  execution:
                    timeout: soon
                adapters:
                  - name: a
                """)).hasMessageStartingWith("g.yaml:3: fault_tolerance.execution.timeout must be a duration like 30s");
    }

    @Test
    void unknownKeysAreErrorsWithADidYouMean() {
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                fault_tolerance:
                  failure_treshold: 5
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith("g.yaml:2: fault_tolerance.failure_treshold is not a known setting; did you mean 'failure_threshold'?");
    }

    @Test
    void aSettingGivenTwiceOrADuplicateAdapterIsAnError() {
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                fault_tolerance:
                  failure_threshold: 5
                  failure_threshold: 7
                adapters:
                  - name: a
                """)).hasMessage("g.yaml:3: fault_tolerance.failure_threshold is given twice; give each setting once");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                adapters:
                  - name: a
                  - name: a
                """)).hasMessage("g.yaml:3: adapters[1].name must be unique, 'a' is used twice");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", "adapters: [")).hasMessageStartingWith("g.yaml:1: is not valid YAML");
    }

    @Test
    void hotReloadSwapsAValidFileAndKeepsTheRunningConfigOnAnInvalidOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, "adapters:\n  - name: a\n");
        ManualClock clock = new ManualClock();
        List<GatewayConfig> changes = new CopyOnWriteArrayList<>();
        List<RuntimeException> errors = new CopyOnWriteArrayList<>();
        try (ConfigWatcher watcher = new ConfigWatcher(file, clock, Duration.ofSeconds(5), changes::add, errors::add)) {
            Files.writeString(file, "adapters:\n  - name: a\n  - name: b\n");
            clock.advance(Duration.ofSeconds(5));
            assertThat(watcher.current().adapters()).hasSize(2);

            Files.writeString(file, "adapters:\n  - name: a\n    fault_tolerance:\n      failure_threshold: nope\n");
            clock.advance(Duration.ofSeconds(5));

            assertThat(watcher.current().adapters()).as("the running config is kept").hasSize(2);
            assertThat(errors).singleElement().satisfies(error -> assertThat(error).hasMessageContaining("gateway.yaml:4"));
            assertThat(changes).hasSize(1);
        }
        assertThat(clock.pendingTasks()).isZero();
    }
}
