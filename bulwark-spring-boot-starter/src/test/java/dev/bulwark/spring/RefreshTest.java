package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.circuit.CircuitOpenException;
import dev.bulwark.event.Registry;
import dev.bulwark.spring.annotation.CircuitBreaker;
import dev.bulwark.spring.annotation.Retry;
import dev.bulwark.spring.config.BulwarkConfigException;
import dev.bulwark.spring.interception.MethodPipelines;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

class RefreshTest {

    @Test
    void aRefreshKeepsAnOpenBreakerOpenUnderItsNewSettings() {
        Runners.withStarter(Orders.class).withPropertyValues("bulwark.instances.orders.failure_threshold=1",
                "bulwark.instances.orders.retry.enabled=false").run(context -> {
            Orders orders = context.getBean(Orders.class);
            assertThatThrownBy(orders::place).hasMessage("down 1");
            assertThat(breaker(context).state()).isEqualTo(dev.bulwark.circuit.CircuitBreaker.State.OPEN);

            override(context, Map.of("bulwark.instances.orders.recovery_timeout", "120s"));
            context.getBean(MethodPipelines.class).refresh();

            assertThat(breaker(context).config().recoveryTimeout()).isEqualTo(Duration.ofSeconds(120));
            assertThat(breaker(context).state()).isEqualTo(dev.bulwark.circuit.CircuitBreaker.State.OPEN);
            assertThatThrownBy(orders::place).isInstanceOf(CircuitOpenException.class);
            assertThat(orders.attempts()).isEqualTo(1);
        });
    }

    @Test
    void anInvalidRefreshIsRefusedAndTheRunningConfigurationKept() {
        Runners.withStarter(Orders.class).withPropertyValues("bulwark.instances.orders.retry.max_retries=1").run(context -> {
            override(context, Map.of("bulwark.instances.orders.retry.max_retries", "-5"));

            assertThatThrownBy(() -> context.getBean(MethodPipelines.class).refresh())
                    .isInstanceOf(BulwarkConfigException.class)
                    .hasMessageStartingWith("bulwark.instances.orders.retry.max_retries must be in [0, 2147483646], was -5");

            Orders orders = context.getBean(Orders.class);
            assertThatThrownBy(orders::place).hasMessage("down 2");
        });
    }

    @Test
    void aRefreshWithoutChangesKeepsEveryComponent() {
        Runners.withStarter(Orders.class).run(context -> {
            dev.bulwark.circuit.CircuitBreaker before = breaker(context);

            context.getBean(MethodPipelines.class).refresh();

            assertThat(breaker(context)).isSameAs(before);
        });
    }

    @Test
    void springCloudsEnvironmentChangeReconfiguresTheMethods() {
        Runners.withStarter(Orders.class).withPropertyValues("bulwark.instances.orders.retry.max_retries=1").run(context -> {
            override(context, Map.of("bulwark.instances.orders.retry.max_retries", "3"));

            context.publishEvent(new EnvironmentChangeEvent(context, Set.of("bulwark.instances.orders.retry.max_retries")));

            Orders orders = context.getBean(Orders.class);
            assertThatThrownBy(orders::place).hasMessage("down 4");
        });
    }

    private static dev.bulwark.circuit.CircuitBreaker breaker(ConfigurableApplicationContext context) {
        return context.getBean(Registry.class).get(dev.bulwark.circuit.CircuitBreaker.class, "orders");
    }

    private static void override(ConfigurableApplicationContext context, Map<String, Object> values) {
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("override", values));
    }

    public static class Orders {
        private final AtomicInteger attempts = new AtomicInteger();

        public int attempts() {
            return attempts.get();
        }

        @CircuitBreaker("orders")
        @Retry("orders")
        public String place() {
            throw new IllegalStateException("down " + attempts.incrementAndGet());
        }
    }
}
