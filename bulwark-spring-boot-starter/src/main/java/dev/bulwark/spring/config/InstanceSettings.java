package dev.bulwark.spring.config;

import dev.bulwark.circuit.CircuitBreakerConfig;
import dev.bulwark.yaml.Policies;
import java.time.Duration;
import java.util.Objects;

/**
 * One instance's settings, validated: {@code bulwark.instances.<name>} laid over {@code bulwark.defaults} key by key
 * (inside nested blocks too), read by bulwark-yaml's schema with its defaults and ranges.
 *
 * @param name the instance's name
 * @param circuitBreaker the breaker's settings (clock not yet set)
 * @param policies the retry, bulkhead, rate limit and hedge settings; a policy that is off or not configured is null
 * @param timeout {@code operation_timeout} (default 30 s)
 */
public record InstanceSettings(String name, CircuitBreakerConfig circuitBreaker, Policies policies, Duration timeout) {
    /** Requires every part. */
    public InstanceSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(circuitBreaker, "circuitBreaker");
        Objects.requireNonNull(policies, "policies");
        Objects.requireNonNull(timeout, "timeout");
    }
}
