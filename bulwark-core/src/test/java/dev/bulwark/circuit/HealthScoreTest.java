package dev.bulwark.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Seed 3's health score: weights, piecewise ranges, and the DEGRADED hysteresis. */
class HealthScoreTest {

    @Test
    void latencyScoreFollowsTheSeedRanges() {
        assertThat(HealthScore.latencyScore(0)).isEqualTo(1.0);
        assertThat(HealthScore.latencyScore(50)).isCloseTo(0.975, within(1e-9));
        assertThat(HealthScore.latencyScore(100)).isCloseTo(0.95, within(1e-9));
        assertThat(HealthScore.latencyScore(550)).isCloseTo(0.725, within(1e-9));
        assertThat(HealthScore.latencyScore(1000)).isCloseTo(0.5, within(1e-9));
        assertThat(HealthScore.latencyScore(3000)).isCloseTo(0.25, within(1e-9));
        assertThat(HealthScore.latencyScore(5000)).isCloseTo(0.0, within(1e-9));
        assertThat(HealthScore.latencyScore(9000)).isEqualTo(0.0);
    }

    @Test
    void jitterScoreFollowsTheSeedRanges() {
        assertThat(HealthScore.jitterScore(25)).isCloseTo(0.9, within(1e-9));
        assertThat(HealthScore.jitterScore(50)).isCloseTo(0.8, within(1e-9));
        assertThat(HealthScore.jitterScore(125)).isCloseTo(0.55, within(1e-9));
        assertThat(HealthScore.jitterScore(200)).isCloseTo(0.3, within(1e-9));
        assertThat(HealthScore.jitterScore(350)).isCloseTo(0.15, within(1e-9));
        assertThat(HealthScore.jitterScore(800)).isEqualTo(0.0);
    }

    @Test
    void weightsAreHalfSuccessThreeTenthsLatencyTwoTenthsJitter() {
        // 90 % success, 45 ms mean (0.9775), 10 ms jitter (0.96): 0.45 + 0.29325 + 0.192
        double score = HealthScore.score(0.9, HealthScore.latencyScore(45), HealthScore.jitterScore(10));
        assertThat(score).isCloseTo(0.93525, within(1e-9));
    }

    @Test
    void degradesBelowTheMinimumAndRecoversOnlyAboveSevenTenths() {
        ManualClock clock = new ManualClock();
        CircuitBreaker breaker = CircuitBreaker.builder("db").clock(clock).countWindow(20).minimumNumberOfCalls(20)
                .failureRateThreshold(100).consecutiveFailureThreshold(0).trackLatency(true).latencySamples(10).build();
        List<CircuitBreaker.Event.HealthChanged> changes = new CopyOnWriteArrayList<>();
        breaker.subscribe(event -> {
            if (event instanceof CircuitBreaker.Event.HealthChanged change) {
                changes.add(change);
            }
        });

        // 10 failures of 4 s: success 0, latency 4000 ms (0.125), no jitter (1.0) -> 0.2375
        calls(breaker, clock, 10, Duration.ofSeconds(4), true);
        CircuitBreaker.Stats sick = breaker.stats();
        assertThat(sick.healthScore()).isCloseTo(0.2375, within(1e-9));
        assertThat(sick.degraded()).isTrue();

        // 7 fast successes: success 7/17, latencies 3x4000 + 7x10 -> score between 0.3 and 0.7: still DEGRADED
        calls(breaker, clock, 7, Duration.ofMillis(10), false);
        CircuitBreaker.Stats better = breaker.stats();
        assertThat(better.healthScore()).isBetween(0.3, 0.7);
        assertThat(better.degraded()).isTrue();

        // 3 more: success 10/20, all latencies 10 ms (0.995, jitter 1.0) -> 0.25 + 0.2985 + 0.2 = 0.7485
        calls(breaker, clock, 3, Duration.ofMillis(10), false);
        CircuitBreaker.Stats healed = breaker.stats();
        assertThat(healed.healthScore()).isCloseTo(0.7485, within(1e-9));
        assertThat(healed.degraded()).isFalse();

        assertThat(changes).extracting(CircuitBreaker.Event.HealthChanged::degraded)
                .containsExactly(true, false);
        assertThat(breaker.state()).as("health never rejects calls").isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void withoutLatencyDataOnlyTheSuccessRateMoves() {
        CircuitBreaker breaker = CircuitBreaker.builder("plain").clock(new ManualClock()).build();
        Calls.succeed(breaker, 3);
        Calls.fail(breaker, 1);

        CircuitBreaker.Stats report = breaker.stats();

        assertThat(report.meanLatencyMillis()).as("no latency data is absent, not NaN").isEmpty();
        assertThat(report.jitterMillis()).isEmpty();
        assertThat(report.healthScore()).isCloseTo(0.5 * 0.75 + 0.3 + 0.2, within(1e-9));
    }

    private static void calls(CircuitBreaker breaker, ManualClock clock, int count, Duration each, boolean failing) {
        for (int i = 0; i < count; i++) {
            try {
                breaker.execute(() -> {
                    clock.advance(each);
                    if (failing) {
                        throw new IOException("slow failure");
                    }
                    return "ok";
                });
            } catch (IOException expected) {
                // counted by the breaker
            } catch (Exception unexpected) {
                throw new AssertionError(unexpected);
            }
        }
    }
}
