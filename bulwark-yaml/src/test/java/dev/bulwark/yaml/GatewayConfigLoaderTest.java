package dev.bulwark.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.bulkhead.BulkheadConfig;
import dev.bulwark.fanout.FanOut.Strategy;
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
        assertThat(fast.circuitBreaker().consecutiveFailureThreshold()).as("a rate criterion instead").isZero();
        assertThat(fast.circuitBreaker().failureRateThreshold()).isEqualTo(50);
        assertThat(fast.circuitBreaker().windowType()).isEqualTo(dev.bulwark.circuit.CircuitBreakerConfig.WindowType.TIME_BASED);
        assertThat(fast.circuitBreaker().windowSize()).isEqualTo(60);
        assertThat(fast.operationTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(flaky.circuitBreaker().failureRateThreshold()).isEqualTo(70);
        assertThat(flaky.circuitBreaker().minimumNumberOfCalls()).as("inherited").isEqualTo(20);
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
                .hasMessage("g.yaml:2: fault_tolerance.failure_threshold must be >= 0, was -1");

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

    @Test
    void everyPolicyIsConfigurableGloballyAndPerAdapterKeyByKey() {
        GatewayConfig config = GatewayConfigLoader.parse("p.yaml", """
                fault_tolerance:
                  retry:
                    max_retries: 2
                    backoff: exponential
                    initial_delay: 200ms
                    max_delay: 5s
                  bulkhead:
                    max_concurrent_calls: 8
                adapters:
                  - name: plain
                    url: http://127.0.0.1:1/a
                  - name: tuned
                    url: http://127.0.0.1:1/b
                    fault_tolerance:
                      retry:
                        max_retries: 5
                      bulkhead:
                        enabled: false
                      rate_limit:
                        permits_per_second: 20
                        burst: 5
                      hedge:
                        delay: 150ms
                """);

        Policies plain = config.adapters().get(0).policies();
        Policies tuned = config.adapters().get(1).policies();
        assertThat(plain.retry()).isEqualTo(new Policies.RetrySettings(2, Policies.BackoffKind.EXPONENTIAL,
                Duration.ofMillis(200), Duration.ofSeconds(5), 2.0, 0.0, null));
        assertThat(plain.bulkhead()).isEqualTo(new Policies.BulkheadSettings(8, Duration.ZERO, BulkheadConfig.UNBOUNDED_WAITING));
        assertThat(plain.rateLimit()).isNull();
        assertThat(plain.hedge()).isNull();
        assertThat(tuned.retry().maxRetries()).isEqualTo(5);
        assertThat(tuned.retry().initialDelay()).as("the rest comes from the global block").isEqualTo(Duration.ofMillis(200));
        assertThat(tuned.bulkhead()).isNull();
        assertThat(tuned.rateLimit()).isEqualTo(new Policies.RateLimitSettings(20.0, 5, Duration.ZERO));
        assertThat(tuned.hedge()).isEqualTo(new Policies.HedgeSettings(Duration.ofMillis(150), 1));
        assertThat(GatewayConfigLoader.parse("d.yaml", "adapters:\n  - name: a\n").adapters().get(0).policies())
                .as("defaults: one retry after 100 ms, nothing else").isEqualTo(Policies.defaults());
    }

    @Test
    void maxDurationBoundsRetriesAndAllowsUnlimitedOnes() {
        GatewayConfig config = GatewayConfigLoader.parse("p.yaml", """
                fault_tolerance:
                  retry:
                    max_retries: -1
                    max_duration: 30s
                adapters:
                  - name: a
                """);

        Policies.RetrySettings retry = config.adapters().get(0).policies().retry();
        assertThat(retry.maxDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(retry.build("a").config().maxDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(retry.build("a").config().maxRetries()).isEqualTo(-1);
        assertThat(Policies.defaults().retry().maxDuration()).as("none by default").isNull();
        assertThatThrownBy(() -> GatewayConfigLoader.parse("p.yaml", """
                fault_tolerance:
                  retry:
                    max_duration: 0s
                adapters:
                  - name: a
                """)).hasMessageStartingWith("p.yaml:3: ").hasMessageContaining("max_duration");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("p.yaml", """
                fault_tolerance:
                  retry:
                    max_retries: -1
                adapters:
                  - name: a
                """)).hasMessageStartingWith("p.yaml:3: ").hasMessageContaining("max_retries")
                .hasMessageContaining("maxDuration");
    }

    @Test
    void theBulkheadQueueLengthIsReadFromMaxWaitingCalls() {
        Policies policies = GatewayConfigLoader.parse("b.yaml", """
                adapters:
                  - name: a
                    fault_tolerance:
                      bulkhead:
                        max_concurrent_calls: 4
                        max_wait: 2s
                        max_waiting_calls: 10
                """).adapters().get(0).policies();

        assertThat(policies.bulkhead()).isEqualTo(new Policies.BulkheadSettings(4, Duration.ofSeconds(2), 10));
        assertThat(policies.bulkhead().build("a").config().maxWaitingCalls()).isEqualTo(10);
        assertThatThrownBy(() -> GatewayConfigLoader.parse("b.yaml", """
                adapters:
                  - name: a
                    fault_tolerance:
                      bulkhead:
                        max_concurrent_calls: 4
                        max_waiting_calls: -1
                """)).hasMessage("b.yaml:6: adapters[0].fault_tolerance.bulkhead.max_waiting_calls must be in [0, 2147483647], was -1");
    }

    @Test
    void badPolicySettingsNameTheFileLineFieldAndAllowedValues() {
        assertThatThrownBy(() -> GatewayConfigLoader.parse("p.yaml", """
                adapters:
                  - name: a
                    fault_tolerance:
                      retry:
                        backoff: sometimes
                """)).hasMessage("p.yaml:5: adapters[0].fault_tolerance.retry.backoff must be one of fixed, exponential, "
                + "fibonacci, decorrelated_jitter, was sometimes");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("p.yaml", """
                fault_tolerance:
                  retry:
                    max_retries: -5
                adapters:
                  - name: a
                """)).hasMessage("p.yaml:3: fault_tolerance.retry.max_retries must be in [0, 2147483646], was -5");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("p.yaml", """
                fault_tolerance:
                  rate_limit:
                    burst: 3
                adapters:
                  - name: a
                """)).hasMessage("p.yaml:3: fault_tolerance.rate_limit.permits_per_second must be set (it has no default), was not set");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("p.yaml", """
                fault_tolerance:
                  hedge:
                    dealy: 10ms
                adapters:
                  - name: a
                """)).hasMessageStartingWith("p.yaml:3: fault_tolerance.hedge.dealy is not a known setting; did you mean 'delay'?");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("p.yaml", """
                fault_tolerance:
                  retry:
                    backoff: exponential
                    initial_delay: 2s
                    max_delay: 1s
                adapters:
                  - name: a
                """)).hasMessageStartingWith("p.yaml:5: fault_tolerance.retry.max_delay must be");
    }

    @Test
    void theServerBlockSetsAddressPortTokenAndBodyLimitAndHidesTheToken() {
        GatewayConfig config = GatewayConfigLoader.parse("s.yaml", """
                server:
                  host: 0.0.0.0
                  port: 9000
                  admin_token: s3cret
                  max_request_bytes: 4096
                adapters:
                  - name: a
                """);

        assertThat(config.server()).isEqualTo(new GatewayConfig.Server("0.0.0.0", 9000, "s3cret", 4096));
        assertThat(config.server().toString()).doesNotContain("s3cret");
        assertThat(GatewayConfigLoader.parse("d.yaml", "adapters:\n  - name: a\n").server())
                .as("loopback by default").isEqualTo(GatewayConfig.Server.defaults());
        assertThatThrownBy(() -> GatewayConfigLoader.parse("s.yaml", "server:\n  port: 70000\nadapters:\n  - name: a\n"))
                .hasMessage("s.yaml:2: server.port must be an integer in [0, 65535], was 70000");
    }

    @Test
    void anEmptySectionIsAnEmptyMapping() {
        GatewayConfig config = GatewayConfigLoader.parse("e.yaml", "fault_tolerance:\nadapters:\n  - name: a\n");

        assertThat(config.enabled()).isTrue();
    }
}
