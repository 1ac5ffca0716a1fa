package dev.bulwark.server;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.redis.ClusterLimitConfig;
import dev.bulwark.redis.ClusterRateLimiter;
import dev.bulwark.redis.RedisEndpoint;
import dev.bulwark.redis.RedisLink;
import dev.bulwark.redis.SharedBreakerConfig;
import dev.bulwark.redis.SharedCircuitBreakers;
import dev.bulwark.redis.SharedStateHealth;
import dev.bulwark.redis.VerdictPolicy;
import dev.bulwark.yaml.GatewayCluster;
import dev.bulwark.yaml.GatewayQuotas;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@code cluster:} block at work: every adapter's breaker attached to one {@link SharedCircuitBreakers} (again
 * after a reload rebuilds it) and, with {@code share.quotas}, one {@link ClusterRateLimiter} per quota key on one
 * {@link RedisLink}. Nothing here is on a query's path but a limiter's local {@code tryAcquire}; Redis failing turns
 * a component DEGRADED (shown in {@code /health/system} and {@code bulwark_cluster_degraded}) and it decides locally.
 * This class is thread-safe; {@link #close()} closes every Redis component.
 */
final class ClusterServices implements AutoCloseable {
    static final String BREAKERS = "breakers";
    static final String QUOTAS = "quotas";

    private final GatewayCluster settings;
    private final @Nullable SharedCircuitBreakers breakers;
    private final @Nullable RedisLink link;
    /** The attached breaker of each adapter, to attach a rebuilt one and detach a removed one. */
    private final Map<String, CircuitBreaker> attached = new ConcurrentHashMap<>();
    /** The quota limiters of the running {@code quotas:} block, by key. */
    private volatile Map<String, ClusterRateLimiter> quotaLimiters = Map.of();
    private volatile @Nullable GatewayQuotas quotaSettings;

    private ClusterServices(GatewayCluster settings) {
        this.settings = settings;
        RedisEndpoint endpoint = RedisEndpoint.of(settings.redisUrl());
        this.breakers = settings.shareBreakers() ? SharedCircuitBreakers.connect(endpoint, SharedBreakerConfig.builder()
                .keyPrefix(settings.keyPrefix()).instanceId(settings.instanceId())
                .verdictPolicy(settings.verdictQuorum() == 1 ? VerdictPolicy.anyInstance()
                        : VerdictPolicy.quorum(settings.verdictQuorum()))
                .syncInterval(settings.syncInterval()).build()) : null;
        this.link = settings.shareQuotas() ? RedisLink.connect(endpoint) : null;
    }

    /** The cluster components {@code settings} asks for, or null without a {@code cluster:} block. */
    static @Nullable ClusterServices start(@Nullable GatewayCluster settings, MeterRegistry meters) {
        if (settings == null) {
            return null;
        }
        ClusterServices services = new ClusterServices(settings);
        for (String component : new String[] {BREAKERS, QUOTAS}) {
            Gauge.builder("bulwark.cluster.degraded", services, s -> s.degraded(component) ? 1 : 0)
                    .description("1 while this gateway's shared component (breakers or quotas) decides locally because "
                            + "Redis failed, else 0")
                    .tag("component", component).register(meters);
        }
        return services;
    }

    GatewayCluster settings() {
        return settings;
    }

    /** Attaches each adapter's breaker that is not attached yet (new or rebuilt) and detaches removed adapters'. */
    synchronized void attach(Map<String, CircuitBreaker> current) {
        SharedCircuitBreakers shared = breakers;
        if (shared == null) {
            return;
        }
        current.forEach((name, breaker) -> {
            if (attached.get(name) != breaker) {
                shared.attach(breaker);
                attached.put(name, breaker);
            }
        });
        for (String name : Map.copyOf(attached).keySet()) {
            if (!current.containsKey(name)) {
                shared.detach(name);
                attached.remove(name);
            }
        }
    }

    /**
     * The cluster limiter of each quota key (whole units of {@code quotas}' limits) when quotas are shared, else an
     * empty map; limiters of an earlier {@code quotas:} block are closed when the block changed.
     */
    synchronized Map<String, ClusterRateLimiter> quotaLimiters(@Nullable GatewayQuotas quotas) {
        RedisLink shared = link;
        if (shared == null || quotas == null) {
            closeQuotas();
            return Map.of();
        }
        if (quotas.equals(quotaSettings)) {
            return quotaLimiters;
        }
        closeQuotas();
        Map<String, ClusterRateLimiter> limiters = new LinkedHashMap<>();
        java.util.Set<String> keys = new java.util.LinkedHashSet<>(quotas.keys().keySet());
        keys.add(GatewayQuotas.OTHER);
        for (String key : keys) {
            long limit = Math.max(1, (long) Math.ceil(quotas.limitOf(key)));
            limiters.put(key, ClusterRateLimiter.builder("quota-" + key).shape(ClusterLimitConfig.Shape.WINDOW_QUOTA)
                    .key(settings.keyPrefix() + ":quota:{" + key + "}").limit(limit).window(quotas.window())
                    .lease(Math.min(settings.quotaLease(), limit)).refreshInterval(settings.syncInterval())
                    .expectedInstances(settings.expectedInstances()).build(shared));
        }
        quotaLimiters = Map.copyOf(limiters);
        quotaSettings = quotas;
        return quotaLimiters;
    }

    private void closeQuotas() {
        quotaLimiters.values().forEach(ClusterRateLimiter::close);
        quotaLimiters = Map.of();
        quotaSettings = null;
    }

    /**
     * Calls {@code listener} on every health change of the shared breakers and of each quota limiter running now
     * (HEALTHY to DEGRADED and back), on a background thread.
     */
    void onHealthChange(java.util.function.Consumer<? super SharedStateHealth.Change> listener) {
        SharedCircuitBreakers shared = breakers;
        if (shared != null) {
            shared.onHealthChange(listener);
        }
        quotaLimiters.values().forEach(limiter -> limiter.health().subscribe(listener));
    }

    /** Whether the shared {@code component} (breakers or quotas) is DEGRADED now. */
    boolean degraded(String component) {
        if (component.equals(BREAKERS)) {
            SharedCircuitBreakers shared = breakers;
            return shared != null && shared.health().degraded();
        }
        return quotaLimiters.values().stream().anyMatch(limiter -> limiter.health().degraded());
    }

    /** {@code /health/system}'s {@code cluster} object: each shared component's state, failures and last cause. */
    Map<String, Object> view() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("redis_url", RedisEndpoint.of(settings.redisUrl()).host() + ":" + RedisEndpoint.of(settings.redisUrl()).port());
        out.put("instance_id", settings.instanceId());
        out.put("verdict", settings.verdict());
        Map<String, Object> components = new LinkedHashMap<>();
        SharedCircuitBreakers shared = breakers;
        if (shared != null) {
            Map<String, Object> one = health(shared.health());
            one.put("attached", attached.size());
            one.put("adopted_verdicts", shared.adoptedVerdicts());
            components.put(BREAKERS, one);
        }
        if (link != null) {
            Map<String, Object> quotas = new LinkedHashMap<>();
            quotaLimiters.forEach((key, limiter) -> {
                Map<String, Object> one = health(limiter.health());
                one.put("permitted", limiter.permittedCalls());
                one.put("rejected", limiter.rejectedCalls());
                quotas.put(key, one);
            });
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("state", degraded(QUOTAS) ? "DEGRADED" : "HEALTHY");
            all.put("keys", quotas);
            components.put(QUOTAS, all);
        }
        out.put("state", components.keySet().stream().anyMatch(this::degraded) ? "DEGRADED" : "HEALTHY");
        out.put("components", components);
        return out;
    }

    private static Map<String, Object> health(SharedStateHealth health) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("state", health.state().name());
        one.put("failures", health.failures());
        one.put("last_cause", health.lastCause());
        return one;
    }

    @Override
    public synchronized void close() {
        closeQuotas();
        if (link != null) {
            link.close();
        }
        if (breakers != null) {
            breakers.close();
        }
    }
}
