package dev.bulwark.server;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.health.HealthCheck;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * One rule for the circuits, used by both {@code /health/system} and the health monitor's {@code circuit-breakers}
 * check, so the two always agree: a circuit is open when it rejects calls; all closed is healthy, some open is
 * degraded, every one open is unhealthy.
 */
final class OpenCircuits {
    /** The health check's name. */
    static final String CHECK = "circuit-breakers";
    private OpenCircuits() {
    }

    static List<String> of(Collection<CircuitBreaker> breakers) {
        return breakers.stream().filter(breaker -> breaker.state().rejectsCalls()).map(CircuitBreaker::name).toList();
    }

    /** "healthy", "degraded" or "unhealthy" for {@code open} of {@code total} circuits. */
    static String status(int open, int total) {
        return open == 0 ? "healthy" : open == total ? "unhealthy" : "degraded";
    }

    static HealthCheck.Finding finding(Collection<CircuitBreaker> breakers) {
        List<String> open = of(breakers);
        int total = breakers.size();
        HealthCheck.Finding finding = switch (status(open.size(), total)) {
            case "healthy" -> HealthCheck.Finding.healthy("all " + total + " circuits let calls through");
            case "degraded" -> HealthCheck.Finding.degraded("open circuits: " + String.join(", ", open));
            default -> HealthCheck.Finding.unhealthy("every circuit is open: " + String.join(", ", open));
        };
        return finding.with("open", open.size()).with("total", total).with("open_circuits", open);
    }

    /** The health check over the gateway's current breakers. */
    static HealthCheck check(Supplier<Collection<CircuitBreaker>> breakers) {
        return HealthCheck.ofFinding(CHECK, () -> finding(breakers.get()));
    }
}
