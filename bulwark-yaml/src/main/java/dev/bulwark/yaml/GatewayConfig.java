package dev.bulwark.yaml;

import dev.bulwark.circuit.CircuitBreakerConfig;
import dev.bulwark.fanout.Strategy;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Seed 1's configuration, validated: fault tolerance on or off, the fan-out's execution settings, health
 * monitoring, and each adapter with its circuit breaker (the global settings with the adapter's overrides).
 *
 * @param enabled {@code fault_tolerance.enabled}
 * @param execution {@code fault_tolerance.execution}
 * @param healthMonitoring {@code fault_tolerance.health_monitoring}
 * @param adapters the adapters, in file order
 */
public record GatewayConfig(boolean enabled, Execution execution, HealthMonitoring healthMonitoring, List<Adapter> adapters) {

    /** Copies the list. */
    public GatewayConfig {
        adapters = List.copyOf(adapters);
    }

    /** Seed 1's {@code execution:} block. */
    public record Execution(Strategy strategy, Duration timeout, int maxConcurrentAdapters, Duration shutdownTimeout) {
    }

    /** Seed 1's {@code health_monitoring:} block. */
    public record HealthMonitoring(boolean enabled, Duration checkInterval, int historySize) {
    }

    /**
     * One adapter.
     *
     * @param name its name
     * @param url where it is, if it is an HTTP adapter
     * @param operationTimeout its own timeout ({@code operation_timeout}), or the execution timeout
     * @param circuitBreaker its breaker: the global settings with its overrides applied
     * @param method the HTTP method, GET (query in {@code ?q=}) or POST (query in the body template)
     * @param headers extra request headers
     * @param bodyTemplate the POST body, with {@code {{query}}} replaced by the query (JSON-escaped)
     */
    public record Adapter(String name, URI url, Duration operationTimeout, CircuitBreakerConfig circuitBreaker,
                          String method, java.util.Map<String, String> headers, String bodyTemplate) {
        /** Copies the headers. */
        public Adapter {
            headers = java.util.Map.copyOf(headers);
        }
    }
}
