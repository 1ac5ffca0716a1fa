package dev.bulwark.server;

import dev.bulwark.Policy;
import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitBreakerConfig;
import dev.bulwark.event.Component;
import dev.bulwark.event.Registry;
import dev.bulwark.fallback.Fallback;
import dev.bulwark.fallback.FallbackStrategy;
import dev.bulwark.fallback.ResultCache;
import dev.bulwark.fanout.FanOut;
import dev.bulwark.hedge.Hedge;
import dev.bulwark.queue.QueueForLater;
import dev.bulwark.ratelimit.RateLimiter;
import dev.bulwark.retry.Retry;
import dev.bulwark.retry.RetryConfig;
import dev.bulwark.timeout.Timeout;
import dev.bulwark.yaml.AdapterFallback;
import dev.bulwark.yaml.GatewayConfig;
import dev.bulwark.yaml.Policies;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's adapters as one configuration describes them: each HTTP adapter behind its rate limit, bulkhead,
 * circuit breaker, retry, hedge and timeout (outermost first), all registered by the adapter's name, and the
 * fan-out over them. Built from the previous set on reload: a component whose settings did not change is kept,
 * with its state and counts.
 */
final class AdapterSet {
    private final Map<String, Parts> parts;
    private final Map<String, CircuitBreaker> breakers;
    private final List<String> names;
    private final FanOut<String, String> fanOut;
    private final FanOut<String, String> withoutHedges;
    private final java.util.Set<String> optional;
    private final boolean enabled;
    private final Map<String, HttpAdapter> calls;
    private final DeferredQueries deferred;

    /** One adapter's components; null where the configuration turns a policy off. */
    private record Parts(GatewayConfig.Adapter settings, CircuitBreaker breaker, @Nullable Retry retry,
                         @Nullable Bulkhead bulkhead, @Nullable RateLimiter rateLimiter, @Nullable Hedge hedge,
                         Timeout timeout, @Nullable Fallback<String> fallback, @Nullable PrioritizedShedder shedder) {
    }

    private AdapterSet(Map<String, Parts> parts, Map<String, HttpAdapter> calls, FanOut<String, String> fanOut,
                       FanOut<String, String> withoutHedges, boolean enabled, DeferredQueries deferred) {
        this.deferred = deferred;
        this.parts = parts;
        this.calls = calls;
        this.enabled = enabled;
        this.fanOut = fanOut;
        this.withoutHedges = withoutHedges;
        java.util.Set<String> optionalNames = new java.util.LinkedHashSet<>();
        parts.forEach((name, adapter) -> {
            if (adapter.settings().optional()) {
                optionalNames.add(name);
            }
        });
        this.optional = Collections.unmodifiableSet(optionalNames);
        Map<String, CircuitBreaker> byName = new LinkedHashMap<>();
        parts.forEach((name, adapter) -> byName.put(name, adapter.breaker()));
        this.breakers = Collections.unmodifiableMap(byName);
        this.names = List.copyOf(byName.keySet());
    }

    /**
     * Builds the adapters of {@code config}, reusing what {@code previous} (may be null) has with the same settings;
     * each adapter times its exchanges into {@code meters}; a {@code queue_for_later} fallback keeps its queries in
     * {@code deferred}.
     */
    static AdapterSet build(GatewayConfig config, @Nullable AdapterSet previous, Registry registry, BackendClient client,
                            MeterRegistry meters, dev.bulwark.time.Clock clock, DeferredQueries deferred) {
        return build(config, previous, registry, client, dev.bulwark.time.Scheduler.system(), meters, clock, deferred,
                adapter -> null);
    }

    /**
     * As above; an adapter for which {@code routes} gives a target calls what it names at each call (failover groups);
     * the fan-out's deadlines and the adapters' timeouts wait on {@code timers}.
     */
    static AdapterSet build(GatewayConfig config, @Nullable AdapterSet previous, Registry registry, BackendClient client,
                            dev.bulwark.time.Scheduler timers, MeterRegistry meters, dev.bulwark.time.Clock clock,
                            DeferredQueries deferred,
                            Function<String, java.util.function.@Nullable Supplier<java.net.URI>> routes) {
        Map<String, Parts> before = previous == null ? Map.of() : previous.parts;
        FanOut.Builder<String, String> fanOut = config.execution().<String, String>toBuilder().scheduler(timers)
                .clock(clock);
        // a mode that turns hedging off uses a second fan-out over the same components, the hedges left out
        FanOut.Builder<String, String> unhedged = config.execution().<String, String>toBuilder().scheduler(timers)
                .clock(clock);
        boolean anyHedge = false;
        Map<String, Parts> next = new LinkedHashMap<>();
        Map<String, HttpAdapter> calls = new LinkedHashMap<>();
        java.util.Set<String> queuing = new java.util.HashSet<>();
        for (GatewayConfig.Adapter adapter : config.adapters()) {
            if (adapter.url() == null) {
                throw new IllegalArgumentException("adapter '" + adapter.name() + "' needs a url for the gateway");
            }
            Parts parts = parts(adapter, before.get(adapter.name()), registry, clock, timers, deferred);
            if (adapter.fallback() != null && adapter.fallback().queue() != null) {
                queuing.add(adapter.name());
            }
            next.put(adapter.name(), parts);
            AdapterFallback fallback = adapter.fallback();
            java.net.URI fixed = adapter.url();
            java.util.function.Supplier<java.net.URI> routed = routes.apply(adapter.name());
            HttpAdapter http = new HttpAdapter(adapter.name(), routed != null ? routed : () -> fixed, client,
                    adapter.method(), adapter.headers(), adapter.bodyTemplate(),
                    fallback == null ? null : fallback.degradedUrl(),
                    fallback == null ? null : fallback.degradedBodyTemplate(),
                    fallback == null || fallback.alternatives().isEmpty() ? null : fallback.alternatives().get(0), meters);
            calls.put(adapter.name(), http);
            fanOut.adapter(http, config.enabled() ? pipeline(parts) : new Policy[] {parts.timeout()});
            unhedged.adapter(http, config.enabled() ? pipeline(parts, false) : new Policy[] {parts.timeout()});
            anyHedge |= config.enabled() && parts.hedge() != null;
        }
        for (Map.Entry<String, Parts> gone : before.entrySet()) {
            if (!next.containsKey(gone.getKey())) {
                for (Component component : components(gone.getValue())) {
                    registry.remove(component.kind(), component.name());
                }
            }
        }
        deferred.retain(queuing);
        FanOut<String, String> built = fanOut.build();
        registry.replace(built);
        return new AdapterSet(Collections.unmodifiableMap(next), Collections.unmodifiableMap(calls), built, anyHedge ? unhedged.build() : built, config.enabled(),
                deferred);
    }

    private static Parts parts(GatewayConfig.Adapter adapter, @Nullable Parts old, Registry registry,
                               dev.bulwark.time.Clock clock, dev.bulwark.time.Scheduler timers, DeferredQueries deferred) {
        String name = adapter.name();
        Policies policies = adapter.policies();
        @Nullable Policies oldPolicies = old == null ? null : old.settings().policies();
        // changed settings build a new breaker that continues from the old one: an open circuit stays open
        CircuitBreakerConfig timed = adapter.circuitBreaker().toBuilder().clock(clock).buildConfig();
        CircuitBreaker breaker = old == null ? CircuitBreaker.of(timed)
                : old.breaker().config().equals(timed) ? old.breaker()
                : CircuitBreaker.continuing(old.breaker(), timed);
        Parts parts = new Parts(adapter, breaker,
                reuse(old, oldPolicies == null ? null : oldPolicies.retry(), policies.retry(), Parts::retry, s -> s.build(name)),
                reuse(old, oldPolicies == null ? null : oldPolicies.bulkhead(), policies.bulkhead(), Parts::bulkhead,
                        s -> s.build(name)),
                reuse(old, oldPolicies == null ? null : oldPolicies.rateLimit(), policies.rateLimit(), Parts::rateLimiter,
                        s -> RateLimiter.of(s.build(name).config().toBuilder().clock(clock).buildConfig())),
                reuse(old, oldPolicies == null ? null : oldPolicies.hedge(), policies.hedge(), Parts::hedge, s -> s.build(name)),
                old != null && old.settings().operationTimeout().equals(adapter.operationTimeout()) ? old.timeout()
                        : Timeout.builder(name, adapter.operationTimeout()).scheduler(timers).build(),
                reuse(old, strategies(old == null ? null : old.settings().fallback()), strategies(adapter.fallback()),
                        Parts::fallback, settings -> fallback(name, settings, clock, deferred)),
                reuse(old, old == null || old.settings().fallback() == null ? null : old.settings().fallback().loadShed(),
                        adapter.fallback() == null ? null : adapter.fallback().loadShed(), Parts::shedder,
                        settings -> new PrioritizedShedder(name, settings, clock)));
        if (old != null) {
            for (Component component : components(old)) {
                if (!components(parts).contains(component)) {
                    registry.remove(component.kind(), component.name());
                }
            }
        }
        for (Component component : components(parts)) {
            registry.replace(component);
        }
        return parts;
    }

    /** The fallback settings when they name a strategy; null when there are none (load_shed alone). */
    private static @Nullable AdapterFallback strategies(@Nullable AdapterFallback settings) {
        return settings == null || settings.order().isEmpty() ? null : settings;
    }

    /** The old component when its settings are unchanged, a new one when they changed, null when the policy is off. */
    private static <S, P> @Nullable P reuse(@Nullable Parts old, @Nullable S oldSettings, @Nullable S settings,
            Function<Parts, P> component, Function<S, P> build) {
        if (settings == null) {
            return null;
        }
        return old != null && settings.equals(oldSettings) ? component.apply(old) : build.apply(settings);
    }

    private static Policy[] pipeline(Parts parts) {
        return pipeline(parts, true);
    }

    /**
     * The adapter's fallback: its strategies in order. It sits inside the breaker, so an alternative that answers is
     * the adapter answering, and outside the retry, so it acts once the retries are spent.
     */
    @SuppressWarnings("unchecked")
    private static Fallback<String> fallback(String name, AdapterFallback settings, dev.bulwark.time.Clock clock,
                                             DeferredQueries deferred) {
        List<FallbackStrategy<String>> strategies = new ArrayList<>();
        for (AdapterFallback.Strategy strategy : settings.order()) {
            strategies.add(switch (strategy) {
                case SWITCH_PROVIDER -> FallbackStrategy.switchProvider(HttpAdapter.TARGET, settings.alternatives());
                case DEGRADE -> FallbackStrategy.degrade(context -> context.with(HttpAdapter.DEGRADED, Boolean.TRUE));
                case CACHE -> FallbackStrategy.cache(ResultCache.builder(name).maxEntries(10_000).clock(clock)
                        .timeToLive(java.util.Objects.requireNonNull(settings.cacheTtl(), "ttl"))
                        .maxStaleness(java.util.Objects.requireNonNull(settings.staleIfError(), "stale_if_error"))
                        .<String, String>build(), context -> context.getOrDefault(HttpAdapter.QUERY, ""));
                case QUEUE_FOR_LATER -> new OffLoopFallback<>(QueueForLater.<String, String>into(deferred.open(name,
                        java.util.Objects.requireNonNull(settings.queue(), "queue_for_later")),
                        context -> DeferredQueries.item(name, context)));
            });
        }
        return Fallback.<String>builder(name).strategies(strategies.toArray(FallbackStrategy[]::new)).clock(clock).build();
    }

    private static Policy[] pipeline(Parts parts, boolean hedging) {
        List<Policy> policies = new ArrayList<>();
        for (Policy policy : new Policy[] {parts.shedder(), parts.rateLimiter(), parts.bulkhead(), parts.breaker(), parts.fallback(),
                parts.retry(), hedging ? parts.hedge() : null, parts.timeout()}) {
            if (policy != null) {
                policies.add(policy);
            }
        }
        return policies.toArray(Policy[]::new);
    }

    private static List<Component> components(Parts parts) {
        return List.of(pipeline(parts));
    }

    /**
     * The most backend calls one query can make through each adapter: attempts (1 + max_retries) times calls per
     * attempt (1 + max_hedges); 1 when fault tolerance is off or the adapter has neither. Unlimited retries (-1, bounded
     * by max_duration) count as {@link RetryConfig#MAX_RETRIES}, where Bulwark stops them too; a long cannot overflow.
     */
    Map<String, Long> maxBackendCalls() {
        Map<String, Long> out = new LinkedHashMap<>();
        parts.forEach((name, adapter) -> {
            var retry = adapter.settings().policies().retry();
            var hedge = adapter.settings().policies().hedge();
            long retries = retry == null ? 0 : retry.maxRetries() == RetryConfig.UNLIMITED ? RetryConfig.MAX_RETRIES
                    : retry.maxRetries();
            long perAttempt = 1L + (hedge == null ? 0 : hedge.maxHedges());
            out.put(name, enabled ? (1 + retries) * perAttempt : 1L);
        });
        return out;
    }

    /** {@code a + b}, or {@code Long.MAX_VALUE} where the sum would overflow. */
    static long saturatedSum(long a, long b) {
        long sum = a + b;
        return sum < a ? Long.MAX_VALUE : sum;
    }

    /** The priority headers of the adapters that shed load, lower case. */
    java.util.Set<String> priorityHeaders() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        parts.values().forEach(adapter -> {
            if (adapter.shedder() != null) {
                out.add(adapter.shedder().settings().priorityHeader().toLowerCase(java.util.Locale.ROOT));
            }
        });
        return out;
    }

    /** The Retry-After of the adapter's load_shed, or empty without one. */
    java.util.Optional<java.time.Duration> shedRetryAfter(String name) {
        Parts adapter = parts.get(name);
        return adapter == null || adapter.shedder() == null ? java.util.Optional.empty()
                : java.util.Optional.of(adapter.shedder().settings().retryAfter());
    }

    /** The queue_for_later queues. */
    DeferredQueries deferred() {
        return deferred;
    }

    /** The adapters whose fallback has a queue_for_later. */
    java.util.Set<String> queuing() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        parts.forEach((name, adapter) -> {
            if (adapter.settings().fallback() != null && adapter.settings().fallback().queue() != null) {
                out.add(name);
            }
        });
        return out;
    }

    /** The HTTP call of the adapter named {@code name}, without its policies. */
    java.util.Optional<HttpAdapter> call(String name) {
        return java.util.Optional.ofNullable(calls.get(name));
    }

    /** The operation timeout of the adapter named {@code name} (1 s for an unknown one). */
    java.time.Duration operationTimeout(String name) {
        Parts adapter = parts.get(name);
        return adapter == null ? java.time.Duration.ofSeconds(1) : adapter.settings().operationTimeout();
    }

    /** The fan-out over these adapters. */
    FanOut<String, String> fanOut() {
        return fanOut;
    }

    /** The fan-out over the same adapters with every hedge left out (the same instance when no adapter hedges). */
    FanOut<String, String> fanOutWithoutHedges() {
        return withoutHedges;
    }

    /** The adapters marked {@code optional: true}, in configuration order. */
    java.util.Set<String> optional() {
        return optional;
    }

    /** Shuts its fan-outs down (the in-flight calls drain, as {@link FanOut#shutdown()} says). */
    void shutdown() {
        fanOut.shutdown();
        if (withoutHedges != fanOut) {
            withoutHedges.shutdown();
        }
    }

    /** Each adapter's circuit breaker, by adapter name, in configuration order. */
    Map<String, CircuitBreaker> breakers() {
        return breakers;
    }

    /** The adapters' names, in configuration order. */
    List<String> names() {
        return names;
    }
}
