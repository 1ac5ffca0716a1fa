package dev.bulwark.health;

import java.util.Map;

/**
 * The system's health now: the aggregate and each check's latest result (checks that have not run yet are
 * absent from {@code checks}).
 *
 * @param status the aggregate: UNHEALTHY if a critical check is unhealthy, DEGRADED if any check is not healthy
 * @param checks each check's latest result, by name
 */
public record HealthReport(HealthStatus status, Map<String, CheckResult> checks) {
    /** Copies the map. */
    public HealthReport {
        checks = Map.copyOf(checks);
    }
}
