package dev.bulwark.circuit;

/**
 * A circuit's health, judged from its health score with hysteresis: it becomes {@link #DEGRADED} below
 * {@code minHealthScore} (default 0.3) and HEALTHY again only above {@code healthRecoveryScore} (default 0.7); the
 * score is {@link HealthReport}'s. Health does not
 * reject calls; it tells operators and the mode orchestrator that a dependency is getting worse.
 */
public enum HealthStatus {
    /** The score has not fallen below the minimum, or has recovered above the recovery score since. */
    HEALTHY,
    /** The score fell below the minimum and has not yet recovered above the recovery score. */
    DEGRADED
}
