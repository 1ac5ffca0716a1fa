package dev.bulwark.mode;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.Component;
import dev.bulwark.event.Registry;
import dev.bulwark.event.EventSource;
import dev.bulwark.health.HealthMonitor;
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
    /** What {@link ModeOrchestrator#recordSuccess(long)} takes for a call that was not timed. */
    private static final long NOT_MEASURED = -1;

    private ModeWiring() {
    }

    static EventSource.Subscription feed(DefaultModeOrchestrator orchestrator, Registry registry) {
        Map<Component, EventSource.Subscription> attached = new ConcurrentHashMap<>();
        List<EventSource.Subscription> own = new CopyOnWriteArrayList<>();
        own.add(registry.subscribe(event -> {
            if (event instanceof Registry.Event.Added added) {
                attach(orchestrator, added.component(), attached);
            } else if (event instanceof Registry.Event.Removed removed) {
                EventSource.Subscription subscription = attached.remove(removed.component());
                if (subscription != null) {
                    subscription.cancel();
                }
            }
        }));
        registry.all().forEach(component -> attach(orchestrator, component, attached));
        return () -> {
            own.forEach(EventSource.Subscription::cancel);
            attached.values().forEach(EventSource.Subscription::cancel);
            attached.clear();
        };
    }

    /**
     * A circuit's state as a channel score: an open circuit is one dependency down, which calls for DEGRADED
     * (below the 0.5 channel threshold, above the 0.2 emergency one), not for EMERGENCY on its own.
     */
    static double stateScore(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED, DISABLED, METRICS_ONLY -> 1.0;
            case HALF_OPEN -> 0.6;
            case OPEN, FORCED_OPEN -> 0.3;
        };
    }

    private static void attach(DefaultModeOrchestrator orchestrator, Component component, Map<Component, EventSource.Subscription> attached) {
        if (component instanceof CircuitBreaker breaker) {
            String channel = "circuit:" + breaker.name();
            attached.computeIfAbsent(breaker, key -> breaker.subscribe(event -> {
                if (event instanceof CircuitBreaker.Event.SuccessRecorded success) {
                    orchestrator.recordSuccess(success.durationNanos().orElse(NOT_MEASURED));
                } else if (event instanceof CircuitBreaker.Event.FailureRecorded failure) {
                    orchestrator.recordFailure(failure.durationNanos().orElse(NOT_MEASURED));
                } else if (event instanceof CircuitBreaker.Event.StateTransition transition) {
                    orchestrator.reportChannel(channel, stateScore(transition.to()), 1.0);
                } else if (event instanceof CircuitBreaker.Event.HealthChanged health) {
                    orchestrator.reportChannel(channel, health.score(), 1.0);
                }
            }));
        } else if (component instanceof ResourceMonitor resources) {
            attached.computeIfAbsent(resources, key -> resources.subscribe(event -> {
                if (event instanceof ResourceMonitor.Event.StatusChanged change) {
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
                if (event instanceof HealthMonitor.Event.AggregateChanged change) {
                    orchestrator.reportHealth(change.to());
                }
            }));
        }
    }
}
