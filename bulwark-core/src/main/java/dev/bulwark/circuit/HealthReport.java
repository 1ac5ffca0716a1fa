package dev.bulwark.circuit;

/**
 * A circuit's health score (seed 3): {@code 0.5 * successRate + 0.3 * latencyScore + 0.2 * jitterScore},
 * each part in [0, 1]. Without latency data the latency and jitter parts score 1.
 *
 * @param score the weighted score, in [0, 1]
 * @param status the status after hysteresis
 * @param successRate share of successes in the window
 * @param latencyScore the latency part
 * @param jitterScore the jitter part
 * @param meanLatencyMillis mean of the recent latencies, NaN without data
 * @param jitterMillis standard deviation of the recent latencies, NaN without data
 */
public record HealthReport(double score, HealthStatus status, double successRate, double latencyScore,
                           double jitterScore, double meanLatencyMillis, double jitterMillis) {
}
