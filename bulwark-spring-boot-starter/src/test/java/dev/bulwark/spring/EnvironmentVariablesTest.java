package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.spring.annotation.CircuitBreaker;
import dev.bulwark.spring.annotation.Retry;
import dev.bulwark.spring.config.InstanceSettings;
import dev.bulwark.spring.interception.MethodPipelines;
import dev.bulwark.yaml.Policies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/** bulwark.* set through environment variables, in the order of precedence Boot gives them (over application.yml). */
class EnvironmentVariablesTest {

    @Test
    void aVariableOverridesTheYamlValueAndTheRestOfTheYamlStays() {
        run("BULWARK_INSTANCES_PAYMENTS_RETRY_MAX_RETRIES", "5").run(context -> {
            Policies.RetrySettings retry = retry(context);
            assertThat(retry.maxRetries()).isEqualTo(5);
            assertThat(retry.initialDelay()).isEqualTo(Duration.ofMillis(100));
        });
    }

    @Test
    void aKeysWordsMayBeRunTogetherAsSpringWritesThem() {
        run("BULWARK_INSTANCES_PAYMENTS_RETRY_MAXRETRIES", "6", "BULWARK_DEFAULTS_OPERATIONTIMEOUT", "3s")
                .run(context -> {
                    assertThat(retry(context).maxRetries()).isEqualTo(6);
                    assertThat(payments(context).timeout()).isEqualTo(Duration.ofSeconds(3));
                });
    }

    @Test
    void defaultsAndNestedBreakerBlocksCountToo() {
        run("BULWARK_DEFAULTS_FAILURE_THRESHOLD", "9", "BULWARK_INSTANCES_PAYMENTS_HEALTH_SCORE_LATENCY_SAMPLES", "40")
                .run(context -> {
                    assertThat(payments(context).circuitBreaker().consecutiveFailureThreshold()).isEqualTo(9);
                    assertThat(payments(context).circuitBreaker().latencySamples()).isEqualTo(40);
                });
    }

    @Test
    void aBadValueStopsTheStartupNamingTheVariable() {
        run("BULWARK_INSTANCES_PAYMENTS_RETRY_MAX_RETRIES", "-2").run(context ->
                assertThat(Runners.cause(context)).hasMessage("BULWARK_INSTANCES_PAYMENTS_RETRY_MAX_RETRIES must be in "
                        + "[0, 2147483646], was -2 (environment variable, read as "
                        + "bulwark.instances.payments.retry.max_retries)"));
    }

    @Test
    void aVariableNamingNoKeyStopsTheStartupNamingIt() {
        run("BULWARK_INSTANCES_PAYMENTS_RETRY_MAX_RETRYS", "3").run(context ->
                assertThat(Runners.cause(context).getMessage()).startsWith("BULWARK_INSTANCES_PAYMENTS_RETRY_MAX_RETRYS "
                        + "(environment variable) is not a known setting"));
    }

    @Test
    void aVariableThatReadsTwoWaysStopsTheStartupWithBothReadings() {
        run("BULWARK_INSTANCES_LEDGER_MAX_RECOVERY_TIMEOUT", "30s").run(context ->
                assertThat(Runners.cause(context)).hasMessageStartingWith("BULWARK_INSTANCES_LEDGER_MAX_RECOVERY_TIMEOUT "
                        + "(environment variable) is ambiguous: it reads as ")
                        .hasMessageContaining("bulwark.instances.ledger.max_recovery_timeout")
                        .hasMessageContaining("bulwark.instances.ledger_max.recovery_timeout"));
    }

    @Test
    void aKnownInstanceNameSettlesTheReading() {
        run("BULWARK_INSTANCES_PAYMENTS_MAX_RECOVERY_TIMEOUT", "5m").run(context ->
                assertThat(payments(context).circuitBreaker().maxRecoveryTimeout()).isEqualTo(Duration.ofMinutes(5)));
    }

    @Test
    void anotherToolsVariableIsLeftAlone() {
        run("BULWARK_PORT", "18080", "BULWARK_CONTEXT_MDC", "false").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void camelCaseKeysReadAsTheirSnakeCase() {
        Runners.withStarter(Payments.class).withPropertyValues("bulwark.instances.payments.retry.maxRetries=7")
                .run(context -> assertThat(retry(context).maxRetries()).isEqualTo(7));
    }

    /** The starter with config-test/payments.yml and the given variables, placed as Boot places them. */
    private static ApplicationContextRunner run(String... variables) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < variables.length; i += 2) {
            values.put(variables[i], variables[i + 1]);
        }
        ApplicationContextInitializer<ConfigurableApplicationContext> sources = context -> {
            MutablePropertySources all = context.getEnvironment().getPropertySources();
            all.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
                    StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, values));
            try {
                String path = "config-test/payments.yml";
                for (PropertySource<?> yaml : new YamlPropertySourceLoader().load(path, new ClassPathResource(path))) {
                    all.addLast(yaml);
                }
            } catch (IOException unreadable) {
                throw new UncheckedIOException(unreadable);
            }
        };
        return Runners.withStarter(Payments.class).withInitializer(sources);
    }

    private static InstanceSettings payments(ConfigurableApplicationContext context) {
        return Objects.requireNonNull(context.getBean(MethodPipelines.class).settings()).instance("payments").orElseThrow();
    }

    private static Policies.RetrySettings retry(ConfigurableApplicationContext context) {
        return Objects.requireNonNull(payments(context).policies().retry());
    }

    public static class Payments {
        @CircuitBreaker("payments")
        @Retry("payments")
        public String pay() {
            return "paid";
        }
    }
}
