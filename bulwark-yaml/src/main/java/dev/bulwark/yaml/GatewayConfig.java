package dev.bulwark.yaml;

import dev.bulwark.health.HealthMonitor;
import dev.bulwark.circuit.CircuitBreakerConfig;
import dev.bulwark.fanout.FanOut;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The gateway's configuration, validated: the server, fault tolerance on or off, the fan-out's execution settings,
 * health monitoring, and each adapter with its circuit breaker and policies (the global settings with the
 * adapter's overrides).
 *
 * @param server {@code server:} where the gateway listens and how it guards its admin endpoints
 * @param enabled {@code fault_tolerance.enabled}
 * @param execution {@code fault_tolerance.execution}: the settings of the gateway's fan-out (named {@code gateway})
 * @param healthMonitoring {@code fault_tolerance.health_monitoring}
 * @param adapters the adapters, in file order
 * @param modes {@code modes:} the mode orchestrator's thresholds and what each mode does to queries
 * @param eventHandler {@code fault_tolerance.event_handler}: where every event goes, or null for none
 * @param quotas {@code quotas:} per-client quotas of {@code /query}, or null for none
 * @param replica {@code storage:}, {@code series:} and {@code failover_groups:} ({@link ReplicaSettings#none()} when absent)
 * @param cluster {@code cluster:} the Redis shared with peer gateways, or null to share nothing (no Redis at all)
 */
public record GatewayConfig(Server server, boolean enabled, FanOut.Config execution, HealthMonitoring healthMonitoring,
                            List<Adapter> adapters, GatewayModes modes, @org.jspecify.annotations.Nullable EventHandlerConfig eventHandler,
                            @org.jspecify.annotations.Nullable GatewayQuotas quotas, ReplicaSettings replica,
                            @org.jspecify.annotations.Nullable GatewayCluster cluster) {

    /** Copies the list. */
    public GatewayConfig {
        adapters = List.copyOf(adapters);
        java.util.Objects.requireNonNull(modes, "modes");
        java.util.Objects.requireNonNull(replica, "replica");
    }

    /** As {@link GatewayConfig}, with no {@code cluster:} block. */
    public GatewayConfig(Server server, boolean enabled, FanOut.Config execution, HealthMonitoring healthMonitoring,
                         List<Adapter> adapters, GatewayModes modes, @org.jspecify.annotations.Nullable EventHandlerConfig eventHandler,
                         @org.jspecify.annotations.Nullable GatewayQuotas quotas, ReplicaSettings replica) {
        this(server, enabled, execution, healthMonitoring, adapters, modes, eventHandler, quotas, replica, null);
    }

    /** As {@link GatewayConfig}, with the default modes, no event handler, no quotas, and no storage, series or failover groups. */
    public GatewayConfig(Server server, boolean enabled, FanOut.Config execution, HealthMonitoring healthMonitoring,
                         List<Adapter> adapters) {
        this(server, enabled, execution, healthMonitoring, adapters, GatewayModes.defaults(), null, null,
                ReplicaSettings.none());
    }

    /** This configuration with another {@code server:} block (e.g. a port or token from the environment). */
    public GatewayConfig withServer(Server other) {
        return new GatewayConfig(other, enabled, execution, healthMonitoring, adapters, modes, eventHandler, quotas,
                replica, cluster);
    }

    /** This configuration with other storage, series and failover-group settings. */
    public GatewayConfig withReplica(ReplicaSettings other) {
        return new GatewayConfig(server, enabled, execution, healthMonitoring, adapters, modes, eventHandler, quotas,
                other, cluster);
    }

    /** This configuration with another {@code cluster:} block, or null for none. */
    public GatewayConfig withCluster(@org.jspecify.annotations.Nullable GatewayCluster other) {
        return new GatewayConfig(server, enabled, execution, healthMonitoring, adapters, modes, eventHandler, quotas,
                replica, other);
    }

    /**
     * The {@code server:} block.
     *
     * @param host the address to bind (default 127.0.0.1: loopback only)
     * @param port the port (default 8080; 0 for any free port)
     * @param adminToken the bearer token of the mutating admin endpoints (blank: they are refused to everyone)
     * @param maxRequestBytes the largest request body accepted
     * @param limits what one client and one connection may ask ({@link ServerLimits#defaults()} unless set)
     */
    public record Server(String host, int port, String adminToken, int maxRequestBytes, ServerLimits limits) {
        /** Requires the limits. */
        public Server {
            java.util.Objects.requireNonNull(limits, "limits");
        }

        /** As {@link Server}, with the default limits. */
        public Server(String host, int port, String adminToken, int maxRequestBytes) {
            this(host, port, adminToken, maxRequestBytes, ServerLimits.defaults());
        }

        /** The defaults: 127.0.0.1:8080, no admin token, 64 KiB requests, {@link ServerLimits#defaults()}. */
        public static Server defaults() {
            return new Server("127.0.0.1", 8080, "", 64 * 1024);
        }

        /** As this, with {@code token} as the admin token. */
        public Server withAdminToken(String token) {
            return new Server(host, port, token, maxRequestBytes, limits);
        }

        /** As this, listening on {@code otherPort}. */
        public Server withPort(int otherPort) {
            return new Server(host, otherPort, adminToken, maxRequestBytes, limits);
        }

        /** As this, with other limits. */
        public Server withLimits(ServerLimits other) {
            return new Server(host, port, adminToken, maxRequestBytes, other);
        }

        /** Leaves the token out, so that logging a configuration never leaks it. */
        @Override
        public String toString() {
            return "Server[host=" + host + ", port=" + port + ", adminToken=" + (adminToken.isBlank() ? "none" : "***")
                    + ", maxRequestBytes=" + maxRequestBytes + ", limits=" + limits + "]";
        }
    }

    /**
     * The YAML's {@code health_monitoring:} block.
     *
     * @param enabled whether the gateway runs its health checks ({@code enabled}, default true)
     * @param monitor the gateway's health monitor, called {@code gateway}: {@code check_interval} and
     *        {@code history_size} are its {@code checkInterval} and {@code historySize}, with its defaults and ranges
     * @param checks {@code checks}: HTTP and TCP checks run beside the built-in ones (none by default)
     */
    public record HealthMonitoring(boolean enabled, HealthMonitor.Config monitor, List<HealthCheckConfig> checks) {
        /** Requires the monitor's settings; copies the checks. */
        public HealthMonitoring {
            java.util.Objects.requireNonNull(monitor, "monitor");
            checks = List.copyOf(checks);
        }

        /** As {@link HealthMonitoring}, with no configured checks. */
        public HealthMonitoring(boolean enabled, HealthMonitor.Config monitor) {
            this(enabled, monitor, List.of());
        }
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
     * @param policies its retry, bulkhead, rate limit and hedging settings
     * @param optional {@code optional: true}: a mode that skips optional adapters leaves it out (default false)
     * @param eventHandler its own {@code fault_tolerance.event_handler}, which gets its circuit's transitions in
     *        place of the global handler; null to use the global one
     * @param fallback its {@code fallback:} strategies, or null for none
     */
    public record Adapter(String name, @org.jspecify.annotations.Nullable URI url, Duration operationTimeout, CircuitBreakerConfig circuitBreaker,
                          String method, java.util.Map<String, String> headers, String bodyTemplate, Policies policies,
                          boolean optional, @org.jspecify.annotations.Nullable EventHandlerConfig eventHandler,
                          @org.jspecify.annotations.Nullable AdapterFallback fallback) {
        /** Copies the headers. */
        public Adapter {
            headers = java.util.Map.copyOf(headers);
        }

        /** As {@link Adapter}, not optional, with no handler and no fallback of its own. */
        public Adapter(String name, @org.jspecify.annotations.Nullable URI url, Duration operationTimeout,
                       CircuitBreakerConfig circuitBreaker, String method, java.util.Map<String, String> headers,
                       String bodyTemplate, Policies policies) {
            this(name, url, operationTimeout, circuitBreaker, method, headers, bodyTemplate, policies, false, null, null);
        }
    }
}
