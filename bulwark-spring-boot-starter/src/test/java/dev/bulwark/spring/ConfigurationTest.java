package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.circuit.CircuitBreakerConfig;
import dev.bulwark.spring.annotation.CircuitBreaker;
import dev.bulwark.spring.annotation.Retry;
import dev.bulwark.spring.annotation.Timeout;
import dev.bulwark.spring.config.BulwarkSettings;
import dev.bulwark.spring.config.InstanceSettings;
import dev.bulwark.spring.interception.MethodPipelines;
import dev.bulwark.yaml.ConfigFileException;
import dev.bulwark.yaml.GatewayConfigLoader;
import dev.bulwark.yaml.Policies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

class ConfigurationTest {

    @Test
    void anInstanceIsLaidOverTheDefaultsKeyByKeyInsideEachBlock() {
        Runners.withStarter(Payments.class).withPropertyValues(
                "bulwark.defaults.failure_threshold=7",
                "bulwark.defaults.health_score.min_health_score=0.4",
                "bulwark.defaults.retry.max_retries=3",
                "bulwark.defaults.retry.initial_delay=250ms",
                "bulwark.defaults.operation_timeout=4s",
                "bulwark.instances.payments.recovery_timeout=9s",
                "bulwark.instances.payments.health_score.latency_samples=50",
                "bulwark.instances.payments.retry.backoff=exponential").run(context -> {
            InstanceSettings payments = settings(context).instance("payments").orElseThrow();

            CircuitBreakerConfig breaker = payments.circuitBreaker();
            assertThat(breaker.consecutiveFailureThreshold()).isEqualTo(7);
            assertThat(breaker.recoveryTimeout()).isEqualTo(Duration.ofSeconds(9));
            assertThat(breaker.minHealthScore()).isEqualTo(0.4);
            assertThat(breaker.latencySamples()).isEqualTo(50);
            Policies.RetrySettings retry = Objects.requireNonNull(payments.policies().retry());
            assertThat(retry.maxRetries()).isEqualTo(3);
            assertThat(retry.initialDelay()).isEqualTo(Duration.ofMillis(250));
            assertThat(retry.backoff()).isEqualTo(Policies.BackoffKind.EXPONENTIAL);
            assertThat(payments.timeout()).isEqualTo(Duration.ofSeconds(4));
        });
    }

    @Test
    void kebabCaseKeysReadAsTheirSnakeCase() {
        Runners.withStarter(Payments.class).withPropertyValues("bulwark.instances.payments.retry.max-retries=4",
                "bulwark.instances.payments.operation-timeout=3s").run(context -> {
            InstanceSettings payments = settings(context).instance("payments").orElseThrow();
            assertThat(Objects.requireNonNull(payments.policies().retry()).maxRetries()).isEqualTo(4);
            assertThat(payments.timeout()).isEqualTo(Duration.ofSeconds(3));
        });
    }

    @Test
    void anInvalidValueStopsTheStartupNamingPropertyRangeValueAndFileLine() {
        Runners.withStarter(Payments.class).withInitializer(yaml("config-test/bad-retry.yml")).run(context ->
                assertThat(Runners.cause(context)).hasMessage("bulwark.instances.payments.retry.max_retries must be "
                        + gatewayProblem("retry:\n    max_retries: -2") + " (class path resource "
                        + "[config-test/bad-retry.yml] - 5:22)"));
    }

    @Test
    void theProblemTextIsTheGatewayFilesOwn() {
        // the starter's message above is built from this text, so both read the same
        assertThat(gatewayProblem("retry:\n    max_retries: -2")).isEqualTo("in [0, 2147483646], was -2");
    }

    @Test
    void anUnknownKeySuggestsTheClosestOne() {
        Runners.withStarter(Payments.class).withInitializer(yaml("config-test/typo.yml")).run(context ->
                assertThat(Runners.cause(context)).hasMessageStartingWith("bulwark.defaults.retry.max_retris is not a known "
                        + "setting; did you mean 'max_retries'?").hasMessageEndingWith("(class path resource "
                        + "[config-test/typo.yml] - 4:19)"));
    }

    @Test
    void anUnknownTopLevelKeyIsRefused() {
        Runners.withStarter(Payments.class).withPropertyValues("bulwark.instnces.payments.retry.max_retries=1").run(context ->
                assertThat(Runners.cause(context)).hasMessage("bulwark.instnces.payments.retry.max_retries is not a known "
                        + "setting; known under bulwark: [annotations, context, defaults, enabled, health, instances, pipelines]"));
    }

    @Test
    void aGatewayOnlySettingIsRefused() {
        Runners.withStarter(Payments.class).withPropertyValues("bulwark.defaults.execution.timeout=3s").run(context ->
                assertThat(Runners.cause(context)).hasMessageStartingWith("bulwark.defaults.execution is a gateway "
                        + "setting, not used by the starter"));
    }

    @Test
    void aRequiredSettingNobodyGaveIsNamed() {
        Runners.withStarter(Limited.class).run(context ->
                assertThat(Runners.cause(context)).hasMessage("bulwark.instances.narrow.bulkhead.max_concurrent_calls "
                        + "must be set (it has no default), was not set"));
    }

    @Test
    void anInvalidCrossFieldCombinationIsReportedByCoresOwnCheck() {
        Runners.withStarter(Payments.class).withPropertyValues("bulwark.instances.payments.retry.max_retries=-1")
                .run(context -> assertThat(Runners.cause(context).getMessage())
                        .startsWith("bulwark.instances.payments.retry.max_retries must be"));
    }

    private static String gatewayProblem(String retryBlock) {
        String file = "fault_tolerance:\n  " + retryBlock + "\nadapters:\n  - name: a\n";
        ConfigFileException refused = (ConfigFileException) org.assertj.core.api.Assertions.catchThrowable(
                () -> GatewayConfigLoader.parse("g.yaml", file));
        String prefix = "g.yaml:" + refused.line() + ": " + refused.field() + " must be ";
        assertThat(refused.getMessage()).startsWith(prefix);
        return refused.getMessage().substring(prefix.length());
    }

    private static BulwarkSettings settings(ConfigurableApplicationContext context) {
        return Objects.requireNonNull(context.getBean(MethodPipelines.class).settings());
    }

    private static org.springframework.context.ApplicationContextInitializer<ConfigurableApplicationContext> yaml(String path) {
        return context -> {
            try {
                for (PropertySource<?> source : new YamlPropertySourceLoader().load(path, new ClassPathResource(path))) {
                    context.getEnvironment().getPropertySources().addFirst(source);
                }
            } catch (IOException unreadable) {
                throw new UncheckedIOException(unreadable);
            }
        };
    }

    public static class Payments {
        @CircuitBreaker("payments")
        @Retry("payments")
        @Timeout("payments")
        public String pay() {
            return "paid";
        }
    }

    public static class Limited {
        @dev.bulwark.spring.annotation.Bulkhead("narrow")
        public String call() {
            return "x";
        }
    }
}
