package dev.bulwark.circuit;

/**
 * A circuit's health score: {@code 0.5 * successRate + 0.3 * latencyScore + 0.2 * jitterScore}, each part in
 * [0, 1]. The success rate is the share of successes in the breaker's current window. The latency and jitter
 * parts read the last {@code latencySamples} call latencies (default 50; kept only with {@code trackLatency}, off
 * by default):
 * <ul>
 *   <li>latency score, from their mean, falls linearly from 1.0 at 0 ms to 0.95 at 100 ms, to 0.5 at 1000 ms,
 *       to 0.0 at 5000 ms, and is 0 beyond;</li>
 *   <li>jitter score, from their standard deviation, falls linearly from 1.0 at 0 ms to 0.8 at 50 ms, to 0.3 at
 *       200 ms, to 0.0 at 500 ms, and is 0 beyond.</li>
 * </ul>
 * Without latency data both parts score 1. The status applies hysteresis to the score: a HEALTHY circuit becomes
 * {@link HealthStatus#DEGRADED} when the score falls below {@code minHealthScore} (default 0.3) and HEALTHY again
 * only when it rises above {@code healthRecoveryScore} (default 0.7).
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
