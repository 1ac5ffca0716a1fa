package dev.bulwark.spring.interception;

import dev.bulwark.Policy;
import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitBreakerConfig;
import dev.bulwark.event.Registry;
import dev.bulwark.hedge.Hedge;
import dev.bulwark.ratelimit.RateLimiter;
import dev.bulwark.retry.Retry;
import dev.bulwark.spring.annotation.PolicyKind;
import dev.bulwark.spring.config.InstanceSettings;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import dev.bulwark.timeout.Timeout;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The policy instances, one per kind and instance name, shared by every method naming them, on the application's
 * clock and scheduler. A new generation is built from new settings without touching the running one, then committed
 * at once: a component whose settings are unchanged is kept, a changed breaker continues the old one's state (an open
 * circuit stays open), any other changed component is replaced.
 */
final class Components {
    /** A built component and the settings value it was built from. */
    private record Built(Object settings, Policy policy) {
    }

    private final Clock clock;
    private final Scheduler scheduler;
    private final Registry registry;
    private Map<String, Built> current = new HashMap<>();

    Components(Clock clock, Scheduler scheduler, Registry registry) {
        this.clock = clock;
        this.scheduler = scheduler;
        this.registry = registry;
    }

    /** A generation being built from new settings; {@link Generation#commit()} makes it the current one. */
    Generation next() {
        return new Generation();
    }

    final class Generation {
        private final Map<String, Built> built = new HashMap<>();

        /** The component of {@code kind} for {@code instance}, or null when the configuration turned it off. */
        @Nullable Policy get(PolicyKind kind, InstanceSettings instance) {
            String key = kind + ":" + instance.name();
            Built done = built.get(key);
            if (done != null) {
                return done.policy();
            }
            Object settings = settingsOf(kind, instance);
            if (settings == null) {
                return null;
            }
            Built previous = current.get(key);
            Built made;
            if (previous != null && previous.settings().equals(settings)) {
                made = previous;
            } else {
                made = new Built(settings, build(kind, instance, previous == null ? null : previous.policy()));
            }
            built.put(key, made);
            return made.policy();
        }

        /** Makes this generation current and registers its components (replacing the previous ones). */
        void commit() {
            for (Map.Entry<String, Built> entry : built.entrySet()) {
                Built previous = current.get(entry.getKey());
                if (previous == null || previous.policy() != entry.getValue().policy()) {
                    registry.replace(entry.getValue().policy());
                }
            }
            current = new HashMap<>(current);
            current.putAll(built);
        }
    }

    private static @Nullable Object settingsOf(PolicyKind kind, InstanceSettings instance) {
        return switch (kind) {
            case CIRCUIT_BREAKER -> breakerSettings(instance.circuitBreaker());
            case RETRY -> instance.policies().retry();
            case BULKHEAD -> instance.policies().bulkhead();
            case RATE_LIMITER -> instance.policies().rateLimit();
            case HEDGE -> instance.policies().hedge();
            case TIMEOUT -> instance.timeout();
            case FALLBACK -> throw new IllegalArgumentException("a fallback is a method, not a component");
        };
    }

    /** The breaker's settings without its predicates and clock, which differ between two reads of the same text. */
    private static String breakerSettings(CircuitBreakerConfig config) {
        return config.toString().replaceAll("\\$\\$Lambda[^,\\]]*", "");
    }

    private Policy build(PolicyKind kind, InstanceSettings instance, @Nullable Policy previous) {
        String name = instance.name();
        return switch (kind) {
            case CIRCUIT_BREAKER -> {
                CircuitBreakerConfig config = instance.circuitBreaker().toBuilder().clock(clock).scheduler(scheduler)
                        .buildConfig();
                yield previous instanceof CircuitBreaker old ? CircuitBreaker.continuing(old, config) : CircuitBreaker.of(config);
            }
            case RETRY -> Retry.of(Objects.requireNonNull(instance.policies().retry()).build(name).config().toBuilder()
                    .clock(clock).scheduler(scheduler).buildConfig());
            case BULKHEAD -> Bulkhead.of(Objects.requireNonNull(instance.policies().bulkhead()).build(name).config()
                    .toBuilder().clock(clock).scheduler(scheduler).buildConfig());
            case RATE_LIMITER -> RateLimiter.of(Objects.requireNonNull(instance.policies().rateLimit()).build(name)
                    .config().toBuilder().clock(clock).scheduler(scheduler).buildConfig());
            case HEDGE -> Hedge.of(Objects.requireNonNull(instance.policies().hedge()).build(name).config().toBuilder()
                    .clock(clock).scheduler(scheduler).buildConfig());
            case TIMEOUT -> Timeout.of(Timeout.builder(name, instance.timeout()).inPlace(true).clock(clock)
                    .scheduler(scheduler).buildConfig());
            case FALLBACK -> throw new IllegalArgumentException("a fallback is a method, not a component");
        };
    }
}
