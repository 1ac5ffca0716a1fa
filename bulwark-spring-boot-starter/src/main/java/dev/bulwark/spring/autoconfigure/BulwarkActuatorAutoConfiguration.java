package dev.bulwark.spring.autoconfigure;

import dev.bulwark.event.Registry;
import dev.bulwark.micrometer.BulwarkMetrics;
import dev.bulwark.spring.actuate.BulwarkEndpoint;
import dev.bulwark.spring.actuate.BulwarkHealthIndicator;
import dev.bulwark.spring.interception.MethodPipelines;
import java.util.Locale;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Actuator support when Boot's actuator is present: the {@code bulwark} endpoint, the {@code bulwark} health
 * component, and every component's meters bound to Micrometer (so {@code /actuator/prometheus} shows them) when
 * {@code bulwark-micrometer} and a {@code MeterRegistry} are there.
 */
@AutoConfiguration(after = BulwarkAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean(MethodPipelines.class)
public class BulwarkActuatorAutoConfiguration {
    /** {@code /actuator/bulwark}. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    public BulwarkEndpoint bulwarkEndpoint(Registry registry, MethodPipelines pipelines) {
        return new BulwarkEndpoint(registry, pipelines);
    }

    /** The {@code bulwark} health component; {@code bulwark.health.open-status} (default DEGRADED). */
    @Bean
    @ConditionalOnMissingBean(name = "bulwarkHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("bulwark")
    public BulwarkHealthIndicator bulwarkHealthIndicator(Registry registry, Environment environment) {
        String open = Binder.get(environment).bind("bulwark.health.open-status", String.class)
                .orElse(BulwarkHealthIndicator.DEGRADED.getCode());
        Status status = open.equalsIgnoreCase(BulwarkHealthIndicator.DEGRADED.getCode()) ? BulwarkHealthIndicator.DEGRADED
                : new Status(open.trim().toUpperCase(Locale.ROOT));
        return new BulwarkHealthIndicator(registry, status);
    }

    /** Meters for every component in the registry, bound by Boot to each {@code MeterRegistry}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"dev.bulwark.micrometer.BulwarkMetrics", "io.micrometer.core.instrument.MeterRegistry"})
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean
        BulwarkMetrics bulwarkMetrics(Registry registry) {
            return new BulwarkMetrics(registry);
        }
    }
}
