package dev.bulwark.server;

import dev.bulwark.Policy;
import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.Component;
import dev.bulwark.event.Registry;
import dev.bulwark.fanout.FanOut;
import dev.bulwark.hedge.Hedge;
import dev.bulwark.ratelimit.RateLimiter;
import dev.bulwark.retry.Retry;
import dev.bulwark.retry.RetryConfig;
import dev.bulwark.timeout.Timeout;
import dev.bulwark.yaml.GatewayConfig;
import dev.bulwark.yaml.Policies;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
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
    private final FanOut<String, String> fanOut;
    private final boolean enabled;

    /** One adapter's components; null where the configuration turns a policy off. */
    private record Parts(GatewayConfig.Adapter settings, CircuitBreaker breaker, @Nullable Retry retry,
                         @Nullable Bulkhead bulkhead, @Nullable RateLimiter rateLimiter, @Nullable Hedge hedge,
                         Timeout timeout) {
    }

    private AdapterSet(Map<String, Parts> parts, FanOut<String, String> fanOut, boolean enabled) {
        this.parts = parts;
        this.enabled = enabled;
        this.fanOut = fanOut;
        Map<String, CircuitBreaker> byName = new LinkedHashMap<>();
        parts.forEach((name, adapter) -> byName.put(name, adapter.breaker()));
        this.breakers = Collections.unmodifiableMap(byName);
    }

    /**
     * Builds the adapters of {@code config}, reusing what {@code previous} (may be null) has with the same settings;
     * each adapter times its exchanges into {@code meters}.
     */
    static AdapterSet build(GatewayConfig config, @Nullable AdapterSet previous, Registry registry, HttpClient client,
                            MeterRegistry meters) {
        Map<String, Parts> before = previous == null ? Map.of() : previous.parts;
        FanOut.Builder<String, String> fanOut = config.execution().toBuilder();
        Map<String, Parts> next = new LinkedHashMap<>();
        for (GatewayConfig.Adapter adapter : config.adapters()) {
            if (adapter.url() == null) {
                throw new IllegalArgumentException("adapter '" + adapter.name() + "' needs a url for the gateway");
            }
            Parts parts = parts(adapter, before.get(adapter.name()), registry);
            next.put(adapter.name(), parts);
            HttpAdapter http = new HttpAdapter(adapter.name(), adapter.url(), client, adapter.method(), adapter.headers(),
                    adapter.bodyTemplate(), meters);
            fanOut.adapter(http, config.enabled() ? pipeline(parts) : new Policy[] {parts.timeout()});
        }
        for (Map.Entry<String, Parts> gone : before.entrySet()) {
            if (!next.containsKey(gone.getKey())) {
                for (Component component : components(gone.getValue())) {
                    registry.remove(component.kind(), component.name());
                }
            }
        }
        FanOut<String, String> built = fanOut.build();
        registry.replace(built);
        return new AdapterSet(Collections.unmodifiableMap(next), built, config.enabled());
    }

    private static Parts parts(GatewayConfig.Adapter adapter, @Nullable Parts old, Registry registry) {
        String name = adapter.name();
        Policies policies = adapter.policies();
        @Nullable Policies oldPolicies = old == null ? null : old.settings().policies();
        // changed settings build a new breaker that continues from the old one: an open circuit stays open
        CircuitBreaker breaker = old == null ? CircuitBreaker.of(adapter.circuitBreaker())
                : old.breaker().config().equals(adapter.circuitBreaker()) ? old.breaker()
                : CircuitBreaker.continuing(old.breaker(), adapter.circuitBreaker());
        Parts parts = new Parts(adapter, breaker,
                reuse(old, oldPolicies == null ? null : oldPolicies.retry(), policies.retry(), Parts::retry, s -> s.build(name)),
                reuse(old, oldPolicies == null ? null : oldPolicies.bulkhead(), policies.bulkhead(), Parts::bulkhead,
                        s -> s.build(name)),
                reuse(old, oldPolicies == null ? null : oldPolicies.rateLimit(), policies.rateLimit(), Parts::rateLimiter,
                        s -> s.build(name)),
                reuse(old, oldPolicies == null ? null : oldPolicies.hedge(), policies.hedge(), Parts::hedge, s -> s.build(name)),
                old != null && old.settings().operationTimeout().equals(adapter.operationTimeout()) ? old.timeout()
                        : Timeout.builder(name, adapter.operationTimeout()).build());
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

    /** The old component when its settings are unchanged, a new one when they changed, null when the policy is off. */
    private static <S, P> @Nullable P reuse(@Nullable Parts old, @Nullable S oldSettings, @Nullable S settings,
            Function<Parts, P> component, Function<S, P> build) {
        if (settings == null) {
            return null;
        }
        return old != null && settings.equals(oldSettings) ? component.apply(old) : build.apply(settings);
    }

    private static Policy[] pipeline(Parts parts) {
        List<Policy> policies = new ArrayList<>();
        for (Policy policy : new Policy[] {parts.rateLimiter(), parts.bulkhead(), parts.breaker(), parts.retry(),
                parts.hedge(), parts.timeout()}) {
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

    /** The fan-out over these adapters. */
    FanOut<String, String> fanOut() {
        return fanOut;
    }

    /** Each adapter's circuit breaker, by adapter name, in configuration order. */
    Map<String, CircuitBreaker> breakers() {
        return breakers;
    }
}
