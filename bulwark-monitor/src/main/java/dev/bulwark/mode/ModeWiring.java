package dev.bulwark.mode;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitEvent;
import dev.bulwark.circuit.CircuitState;
import dev.bulwark.event.Component;
import dev.bulwark.event.Registry;
import dev.bulwark.event.RegistryEvent;
import dev.bulwark.event.Subscription;
import dev.bulwark.health.HealthEvent;
import dev.bulwark.health.HealthMonitor;
import dev.bulwark.resource.ResourceEvent;
import dev.bulwark.resource.ResourceMonitor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Connects an orchestrator to a registry: each circuit breaker's outcomes feed the error-rate and latency
 * windows, its state and health score feed channel {@code circuit:<name>} (unsmoothed: they are states), each
 * resource monitor's status changes feed the resource trigger (WARNING: DEGRADED; CRITICAL, EXHAUSTED: EMERGENCY), and each health monitor's
 * aggregate feeds the health trigger. Everything is taken from events: the orchestrator never calls back
 * into a breaker from inside that breaker's listener.
 */
final class ModeWiring {
    private ModeWiring() {
    }

    static Subscription feed(DefaultModeOrchestrator orchestrator, Registry registry) {
        Map<Component, Subscription> attached = new ConcurrentHashMap<>();
        List<Subscription> own = new CopyOnWriteArrayList<>();
        own.add(registry.subscribe(event -> {
            if (event instanceof RegistryEvent.Added added) {
                attach(orchestrator, added.component(), attached);
            } else if (event instanceof RegistryEvent.Removed removed) {
                Subscription subscription = attached.remove(removed.component());
                if (subscription != null) {
                    subscription.cancel();
                }
            }
        }));
        registry.all().forEach(component -> attach(orchestrator, component, attached));
        return () -> {
            own.forEach(Subscription::cancel);
            attached.values().forEach(Subscription::cancel);
            attached.clear();
        };
    }

    /**
     * A circuit's state as a channel score: an open circuit is one dependency down, which calls for DEGRADED
     * (below the 0.5 channel threshold, above the 0.2 emergency one), not for EMERGENCY on its own.
     */
    static double stateScore(CircuitState state) {
        return switch (state) {
            case CLOSED, DISABLED, METRICS_ONLY -> 1.0;
            case HALF_OPEN -> 0.6;
            case OPEN, FORCED_OPEN -> 0.3;
        };
    }

    private static void attach(DefaultModeOrchestrator orchestrator, Component component, Map<Component, Subscription> attached) {
        if (component instanceof CircuitBreaker breaker) {
            String channel = "circuit:" + breaker.name();
            attached.computeIfAbsent(breaker, key -> breaker.subscribe(event -> {
                if (event instanceof CircuitEvent.SuccessRecorded success) {
                    orchestrator.recordSuccess(success.durationNanos());
                } else if (event instanceof CircuitEvent.FailureRecorded failure) {
                    orchestrator.recordFailure(failure.durationNanos());
                } else if (event instanceof CircuitEvent.StateTransition transition) {
                    orchestrator.reportChannel(channel, stateScore(transition.to()), 1.0);
                } else if (event instanceof CircuitEvent.HealthChanged health) {
                    orchestrator.reportChannel(channel, health.score(), 1.0);
                }
            }));
        } else if (component instanceof ResourceMonitor resources) {
            attached.computeIfAbsent(resources, key -> resources.subscribe(event -> {
                if (event instanceof ResourceEvent.StatusChanged change) {
                    orchestrator.reportResource(change.type() + (change.key().isEmpty() ? "" : "/" + change.key()),
                            switch (change.to()) {
                                case HEALTHY -> Mode.NORMAL;
                                case WARNING -> Mode.DEGRADED;
                                case CRITICAL, EXHAUSTED -> Mode.EMERGENCY;
                            });
                }
            }));
        } else if (component instanceof HealthMonitor monitor) {
            attached.computeIfAbsent(monitor, key -> monitor.subscribe(event -> {
                if (event instanceof HealthEvent.AggregateChanged change) {
                    orchestrator.reportHealth(change.to());
                }
            }));
        }
    }
}
