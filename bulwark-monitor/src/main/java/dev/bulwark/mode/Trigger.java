package dev.bulwark.mode;

/** What moved (or tried to move) the mode. */
public enum Trigger {
    /** Errors over the sliding error-rate window. */
    ERROR_RATE,
    /** Mean latency over the sliding performance window. */
    PERFORMANCE,
    /** A channel's health score fell, beyond the QoS hysteresis or for the channel sustain period. */
    CHANNEL,
    /** A resource reported WARNING/CRITICAL. */
    RESOURCE,
    /** The health monitor reported DEGRADED/UNHEALTHY. */
    HEALTH,
    /** An operator forced the mode. */
    MANUAL,
    /** Conditions stayed better than the thresholds by the margin for the hold period, and the probe passed. */
    RECOVERY
}
