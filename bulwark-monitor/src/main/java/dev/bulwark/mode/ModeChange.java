package dev.bulwark.mode;

import java.util.Map;

/**
 * One switch of mode, and the notification downstream code reads: what triggered it, why, when, and the metrics
 * at that moment.
 *
 * @param from the mode left
 * @param to the mode entered
 * @param trigger what caused it
 * @param reason a human-readable explanation with the figures
 * @param wallMillis when, in epoch milliseconds
 * @param snapshot the metrics at that moment, keyed as {@link ModeOrchestrator#metrics()}: {@code calls},
 *        {@code errorRatePercent}, {@code latencySamples}, {@code meanLatencyMillis}, {@code channel:<name>}
 */
public record ModeChange(Mode from, Mode to, Trigger trigger, String reason, long wallMillis,
                         Map<String, Double> snapshot) {
    /** Copies the snapshot. */
    public ModeChange {
        snapshot = Map.copyOf(snapshot);
    }

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
}
