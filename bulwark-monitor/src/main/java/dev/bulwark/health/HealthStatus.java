package dev.bulwark.health;

/** The health of one check or of a whole system. Ordered from best to worst. */
public enum HealthStatus {
    /** Working as it should. */
    HEALTHY,
    /** Working, but worse than it should: a non-critical check failed, or a check reported degradation. */
    DEGRADED,
    /** Not working: for the aggregate, a critical check failed. */
    UNHEALTHY;

    /** The worse of the two. */
    public HealthStatus worst(HealthStatus other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
