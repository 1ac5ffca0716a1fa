package dev.bulwark.server;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.EventSource;
import dev.bulwark.event.Registry;
import dev.bulwark.health.HealthMonitor;
import dev.bulwark.mode.ModeOrchestrator;
import dev.bulwark.server.events.GatewayEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the components' own events into {@link GatewayEvent}s for the event handlers: each circuit breaker's
 * transitions (breakers added by a reload included, removed ones let go), the mode orchestrator's changes and the
 * health monitor's check and aggregate changes.
 */
final class EventWiring {
    private EventWiring() {
    }

    static EventSource.Subscription attach(Registry registry, ModeOrchestrator modes, HealthMonitor health,
                                           EventHandlers events) {
        Map<CircuitBreaker, EventSource.Subscription> breakers = new ConcurrentHashMap<>();
        EventSource.Subscription added = registry.subscribe(event -> {
            if (event instanceof Registry.Event.Added one && one.component() instanceof CircuitBreaker breaker) {
                breakers.computeIfAbsent(breaker, key -> watch(breaker, events));
            } else if (event instanceof Registry.Event.Removed one && one.component() instanceof CircuitBreaker breaker) {
                EventSource.Subscription gone = breakers.remove(breaker);
                if (gone != null) {
                    gone.cancel();
                }
            }
        });
        registry.all(CircuitBreaker.class).forEach(breaker -> breakers.computeIfAbsent(breaker, key -> watch(breaker, events)));
        EventSource.Subscription modeChanges = modes.subscribe(event -> {
            if (event instanceof ModeOrchestrator.Event.Changed changed) {
                events.publish(new GatewayEvent.ModeChanged(changed.change()));
            }
        });
        EventSource.Subscription healthChanges = health.subscribe(event -> {
            if (event instanceof HealthMonitor.Event.CheckChanged changed) {
                events.publish(new GatewayEvent.HealthChanged(changed.result().check(), changed.from(), changed.to(),
                        changed.result().message(), changed.result().wallMillis()));
            } else if (event instanceof HealthMonitor.Event.AggregateChanged changed) {
                events.publish(new GatewayEvent.HealthChanged("aggregate", changed.from(), changed.to(),
                        "the gateway's health is " + changed.to(), health.config().clock().wallMillis()));
            }
        });
        return () -> {
            added.cancel();
            modeChanges.cancel();
            healthChanges.cancel();
            breakers.values().forEach(EventSource.Subscription::cancel);
            breakers.clear();
        };
    }

    private static EventSource.Subscription watch(CircuitBreaker breaker, EventHandlers events) {
        return breaker.subscribe(event -> {
            if (event instanceof CircuitBreaker.Event.StateTransition transition) {
                events.circuit(GatewayEvent.CircuitTransition.of(transition));
            }
        });
    }
}
