package dev.bulwark.circuit;

import static dev.bulwark.circuit.Calls.fail;
import static dev.bulwark.circuit.Calls.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The transition log line and event carry the failure count at the moment of opening (never reset to zero, never
 * off by one), and every transition, in the event and in the stats history, carries its wall-clock time.
 */
class TransitionLogFieldsTest {

    private final ManualClock clock = new ManualClock();
    private final List<CircuitBreaker.Event.StateTransition> transitions = new CopyOnWriteArrayList<>();

    private CircuitBreaker listened(CircuitBreakerConfig.Builder builder) {
        CircuitBreaker breaker = builder.clock(clock).build();
        breaker.subscribe(event -> {
            if (event instanceof CircuitBreaker.Event.StateTransition transition) {
                transitions.add(transition);
            }
        });
        return breaker;
    }

    @Test
    void fiveConsecutiveFailuresLogFailCountFiveAtTheTimeOfOpening() {
        CircuitBreaker breaker = listened(CircuitBreaker.builder("payments"));
        clock.advance(Duration.ofSeconds(7));
        long openedAt = clock.wallMillis();

        fail(breaker, 5);

        CircuitBreaker.Event.StateTransition opened = transitions.get(0);
        assertThat(opened.toLogLine()).isEqualTo("endpoint=payments state_transition=\"CLOSED -> OPEN\" "
                + "reason=\"failure_threshold_exceeded\" fail_count=5 success_rate=\"0.00%\"");
        assertThat(opened.wallMillis()).isEqualTo(openedAt);
        assertThat(breaker.stats().consecutiveFailures()).isEqualTo(5);
    }

    @Test
    void aRateOpeningCompletedByASuccessLogsTheWindowsFailuresNotZero() {
        CircuitBreaker breaker = listened(CircuitBreaker.builder("payments").consecutiveFailureThreshold(0)
                .countWindow(10).minimumNumberOfCalls(10).failureRateThreshold(50));

        fail(breaker, 5);
        succeed(breaker, 5);

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(transitions).singleElement().satisfies(t -> {
            assertThat(t.reason()).isEqualTo(CircuitBreaker.TransitionReason.FAILURE_RATE);
            assertThat(t.toLogLine()).contains("fail_count=5 success_rate=\"50.00%\"");
            assertThat(t.successRatePercent()).as("a percentage, the unit of the stats")
                    .isEqualTo(breaker.stats().successRatePercent()).isEqualTo(50.0);
            assertThat(t.meanLatencyMillis()).as("latencies are not tracked").isEmpty();
        });
    }

    @Test
    void aTransitionCarriesTheMeanLatencyTheStatsReportWhenLatenciesAreTracked() {
        CircuitBreaker breaker = listened(CircuitBreaker.builder("payments").trackLatency(true).latencySamples(10));

        for (int i = 0; i < 4; i++) {
            assertThat(breaker.tryAcquirePermission()).isTrue();
            breaker.onSuccess(Duration.ofMillis(40).toNanos());
        }
        breaker.trip();

        assertThat(breaker.stats().meanLatencyMillis()).hasValue(40.0);
        assertThat(breaker.stats().jitterMillis()).hasValue(0.0);
        assertThat(transitions).singleElement().satisfies(t -> {
            assertThat(t.meanLatencyMillis()).hasValue(40.0);
            assertThat(t.successRatePercent()).isEqualTo(100.0);
            assertThat(t.toLogLine()).endsWith("fail_count=0 success_rate=\"100.00%\" latency_ms=40.0");
        });
    }

    @Test
    void aFailedProbeContinuesTheRunOfFailuresOrStartsANewOneAfterASuccessfulProbe() {
        CircuitBreaker breaker = listened(CircuitBreaker.builder("payments"));
        fail(breaker, 5);
        clock.advance(Duration.ofSeconds(60));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);

        fail(breaker, 1);
        clock.advance(Duration.ofSeconds(120));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        succeed(breaker, 1);
        fail(breaker, 1);

        assertThat(transitions).extracting(CircuitBreaker.Event.StateTransition::reason, CircuitBreaker.Event.StateTransition::consecutiveFailures)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(CircuitBreaker.TransitionReason.CONSECUTIVE_FAILURES, 5),
                        org.assertj.core.groups.Tuple.tuple(CircuitBreaker.TransitionReason.RECOVERY_TIMEOUT_ELAPSED, 5),
                        org.assertj.core.groups.Tuple.tuple(CircuitBreaker.TransitionReason.PROBE_FAILED, 6),
                        org.assertj.core.groups.Tuple.tuple(CircuitBreaker.TransitionReason.RECOVERY_TIMEOUT_ELAPSED, 6),
                        org.assertj.core.groups.Tuple.tuple(CircuitBreaker.TransitionReason.PROBE_FAILED, 1));
        assertThat(transitions.get(2).toLogLine()).contains("\"HALF_OPEN -> OPEN\" reason=\"probe_failed\" fail_count=6");
    }

    @Test
    void everyTransitionInTheStatsHistoryCarriesItsWallClockTime() {
        CircuitBreaker breaker = listened(CircuitBreaker.builder("payments"));
        long start = clock.wallMillis();
        fail(breaker, 5);
        clock.advance(Duration.ofSeconds(60));
        breaker.state();
        clock.advance(Duration.ofSeconds(5));
        succeed(breaker, 3);

        assertThat(breaker.stats().history()).extracting(CircuitBreaker.Event.StateTransition::to, CircuitBreaker.Event.StateTransition::wallMillis).containsExactly(
                org.assertj.core.groups.Tuple.tuple(CircuitBreaker.State.OPEN, start),
                org.assertj.core.groups.Tuple.tuple(CircuitBreaker.State.HALF_OPEN, start + 60_000),
                org.assertj.core.groups.Tuple.tuple(CircuitBreaker.State.CLOSED, start + 65_000));
        assertThat(breaker.stats().history()).extracting(CircuitBreaker.Event.StateTransition::wallMillis)
                .containsExactlyElementsOf(transitions.stream().map(CircuitBreaker.Event.StateTransition::wallMillis).toList());
    }
}
