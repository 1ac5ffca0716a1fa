package dev.bulwark.circuit;

import static dev.bulwark.circuit.Calls.fail;
import static dev.bulwark.circuit.Calls.rejected;
import static dev.bulwark.circuit.Calls.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Seed 1's transition list, driven by a manual clock. */
class CircuitBreakerTransitionsTest {

    private final ManualClock clock = new ManualClock();
    private final List<CircuitBreaker.Event> events = new CopyOnWriteArrayList<>();

    private CircuitBreaker seedDefaults() {
        CircuitBreaker breaker = CircuitBreaker.builder("payments").clock(clock).build();
        breaker.subscribe(events::add);
        return breaker;
    }

    @Test
    void closedOpensAfterFiveConsecutiveFailures() {
        CircuitBreaker breaker = seedDefaults();

        fail(breaker, 4);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        fail(breaker, 1);

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(transitions()).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(t.to()).isEqualTo(CircuitBreaker.State.OPEN);
            assertThat(t.reason()).isEqualTo(CircuitBreaker.TransitionReason.CONSECUTIVE_FAILURES);
            assertThat(t.consecutiveFailures()).isEqualTo(5);
            assertThat(t.successRatePercent()).isZero();
        });
    }

    @Test
    void aSuccessBreaksTheRunOfFailures() {
        CircuitBreaker breaker = CircuitBreaker.builder("payments").clock(clock).failureRateThreshold(100).build();

        fail(breaker, 4);
        succeed(breaker, 1);
        fail(breaker, 4);

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.stats().consecutiveFailures()).isEqualTo(4);
    }

    @Test
    void openRejectsFastUntilTheRecoveryTimeoutThenLetsProbesThrough() {
        CircuitBreaker breaker = seedDefaults();
        fail(breaker, 5);

        clock.advance(Duration.ofSeconds(59));
        assertThat(rejected(breaker)).isTrue();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);

        clock.advance(Duration.ofSeconds(1));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(breaker.stats().rejectedCalls()).isEqualTo(1);
    }

    @Test
    void halfOpenClosesAfterThreeSuccessfulProbes() {
        CircuitBreaker breaker = seedDefaults();
        fail(breaker, 5);
        clock.advance(Duration.ofSeconds(60));

        succeed(breaker, 2);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        succeed(breaker, 1);

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(transitions()).extracting(CircuitBreaker.Event.StateTransition::reason).containsExactly(
                CircuitBreaker.TransitionReason.CONSECUTIVE_FAILURES, CircuitBreaker.TransitionReason.RECOVERY_TIMEOUT_ELAPSED,
                CircuitBreaker.TransitionReason.PROBES_SUCCEEDED);
    }

    @Test
    void anyProbeFailureReopensWithADoubledOpenPeriod() {
        CircuitBreaker breaker = seedDefaults();
        fail(breaker, 5);
        clock.advance(Duration.ofSeconds(60));
        succeed(breaker, 2);

        fail(breaker, 1);

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.currentRecoveryTimeout()).isEqualTo(Duration.ofSeconds(120));
        clock.advance(Duration.ofSeconds(119));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        clock.advance(Duration.ofSeconds(1));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    @Test
    void openPeriodGrowsSixtyOneTwentyTwoFortyThenCapsAtThreeHundred() {
        CircuitBreaker breaker = seedDefaults();
        fail(breaker, 5);
        List<Duration> periods = new java.util.ArrayList<>();
        for (int reopen = 0; reopen < 5; reopen++) {
            periods.add(breaker.currentRecoveryTimeout());
            clock.advance(breaker.currentRecoveryTimeout());
            assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
            fail(breaker, 1);
        }

        assertThat(periods).containsExactly(Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(240),
                Duration.ofSeconds(300), Duration.ofSeconds(300));
    }

    @Test
    void closingResetsTheBackoff() {
        CircuitBreaker breaker = seedDefaults();
        fail(breaker, 5);
        clock.advance(Duration.ofSeconds(60));
        fail(breaker, 1);
        clock.advance(Duration.ofSeconds(120));
        succeed(breaker, 3);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);

        fail(breaker, 5);

        assertThat(breaker.currentRecoveryTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void withoutExponentialBackoffTheOpenPeriodStaysTheSame() {
        CircuitBreaker breaker = CircuitBreaker.builder("flat").clock(clock).exponentialBackoff(false).build();
        fail(breaker, 5);
        clock.advance(Duration.ofSeconds(60));
        fail(breaker, 1);

        assertThat(breaker.currentRecoveryTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void openMovesToHalfOpenOnTimeWithNoCallWhenGivenAScheduler() {
        CircuitBreaker breaker = CircuitBreaker.builder("payments").clockAndScheduler(clock).build();
        breaker.subscribe(events::add);
        fail(breaker, 5);

        clock.advance(Duration.ofSeconds(60));

        // no call and no state query: the scheduled move alone published the transition
        assertThat(transitions()).extracting(CircuitBreaker.Event.StateTransition::to)
                .containsExactly(CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN);
    }

    @Test
    void theSchedulerTaskIsCancelledWhenTheCircuitLeavesOpenEarly() {
        CircuitBreaker breaker = CircuitBreaker.builder("payments").clockAndScheduler(clock).build();
        fail(breaker, 5);
        assertThat(clock.pendingTasks()).isEqualTo(1);

        breaker.reset();

        assertThat(clock.pendingTasks()).isZero();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void rejectionMessageNamesTheCircuitItsStateAndWhenItReopens() {
        ManualClock noon = new ManualClock(0L, java.time.Instant.parse("2026-01-01T12:00:00Z").toEpochMilli());
        CircuitBreaker breaker = CircuitBreaker.builder("payments").clock(noon).recoveryTimeout(Duration.ofSeconds(5)).build();
        fail(breaker, 5);

        assertThatThrownBy(() -> breaker.execute(() -> "never"))
                .isInstanceOf(CircuitOpenException.class)
                .hasMessage("circuit 'payments' is OPEN until 12:00:05Z (5.0 s left)")
                .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
    }

    @Test
    void probesAreBoundedAndExtraCallsAreRejectedWhileTheyRun() {
        CircuitBreaker breaker = seedDefaults();
        fail(breaker, 5);
        clock.advance(Duration.ofSeconds(60));

        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isFalse();

        breaker.releasePermission();
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThatThrownBy(breaker::acquirePermission)
                .hasMessage("circuit 'payments' is HALF_OPEN and all 3 probe calls are in flight");
    }

    @Test
    void aHalfOpenCircuitThatNeverHearsFromItsProbesReopens() {
        CircuitBreaker breaker = seedDefaults();
        fail(breaker, 5);
        clock.advance(Duration.ofSeconds(60));
        for (int i = 0; i < 3; i++) {
            assertThat(breaker.tryAcquirePermission()).isTrue();
        }

        clock.advance(Duration.ofSeconds(60));

        assertThat(breaker.tryAcquirePermission()).isFalse();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(transitions()).last().extracting(CircuitBreaker.Event.StateTransition::reason)
                .isEqualTo(CircuitBreaker.TransitionReason.HALF_OPEN_TIMEOUT);
    }

    @Test
    void aLateResultFromTheClosedPeriodDoesNotCountAsAProbe() throws Exception {
        CircuitBreaker breaker = seedDefaults();
        java.util.concurrent.CompletableFuture<String> slowCall = new java.util.concurrent.CompletableFuture<>();
        var pending = breaker.executeAsync(() -> slowCall);
        fail(breaker, 5);
        clock.advance(Duration.ofSeconds(60));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);

        slowCall.complete("late");
        pending.toCompletableFuture().join();
        succeed(breaker, 2);

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    private List<CircuitBreaker.Event.StateTransition> transitions() {
        return events.stream().filter(CircuitBreaker.Event.StateTransition.class::isInstance)
                .map(CircuitBreaker.Event.StateTransition.class::cast).toList();
    }
}
