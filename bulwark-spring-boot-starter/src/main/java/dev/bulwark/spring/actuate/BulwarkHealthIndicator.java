package dev.bulwark.spring.actuate;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.Registry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * The {@code bulwark} health component: each breaker's state as a detail; {@code UP} while every circuit lets calls
 * through, {@link #DEGRADED} while one refuses them (open or forced open). Never {@code DOWN} by default: a
 * dependency's outage is not a reason to restart this application; {@code bulwark.health.open-status=DOWN} makes it
 * one. {@code DEGRADED} answers HTTP 200 unless {@code management.endpoint.health.status.http-mapping} says otherwise.
 */
public class BulwarkHealthIndicator extends AbstractHealthIndicator {
    /** The status while a circuit refuses calls. */
    public static final Status DEGRADED = new Status("DEGRADED", "a circuit breaker refuses calls");

    private final Registry registry;
    private final Status openStatus;

    /** An indicator over {@code registry}'s breakers; {@code openStatus} while a circuit refuses calls. */
    public BulwarkHealthIndicator(Registry registry, Status openStatus) {
        super("bulwark health check failed");
        this.registry = registry;
        this.openStatus = openStatus;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, Object> breakers = new LinkedHashMap<>();
        List<String> refusing = new ArrayList<>();
        for (CircuitBreaker breaker : registry.all(CircuitBreaker.class)) {
            CircuitBreaker.State state = breaker.state();
            breakers.put(breaker.name(), state.name().toLowerCase(Locale.ROOT));
            if (state.rejectsCalls()) {
                refusing.add(breaker.name());
            }
        }
        builder.status(refusing.isEmpty() ? Status.UP : openStatus).withDetail("circuitBreakers", breakers);
        if (!refusing.isEmpty()) {
            builder.withDetail("refusingCalls", refusing);
        }
    }
}
