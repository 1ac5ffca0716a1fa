package dev.bulwark.circuit;

import static dev.bulwark.circuit.Calls.fail;
import static dev.bulwark.circuit.Calls.rejected;
import static dev.bulwark.circuit.Calls.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.time.ManualClock;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ManualControlAndStatsTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void tripOpensAndTheCircuitRecoversOnItsOwn() {
        CircuitBreaker breaker = CircuitBreaker.builder("ops").clock(clock).build();

        breaker.trip();
        assertThat(rejected(breaker)).isTrue();
        clock.advance(Duration.ofSeconds(60));

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    @Test
    void forceOpenHoldsUntilReset() {
        CircuitBreaker breaker = CircuitBreaker.builder("ops").clock(clock).build();

        breaker.forceOpen();
        clock.advance(Duration.ofDays(1));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);
        assertThatThrownBy(() -> breaker.execute(() -> "x")).hasMessage("circuit 'ops' is FORCED_OPEN until it is reset");

        breaker.reset();
        assertThat(rejected(breaker)).isFalse();
    }

    @Test
    void disabledLetsEverythingThroughAndJudgesNothing() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.builder("ops").clock(clock).build();

        breaker.disable();
        fail(breaker, 50);

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.DISABLED);
        assertThat(breaker.execute(() -> "through")).isEqualTo("through");
        breaker.reset();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.stats().windowCalls()).isZero();
    }

    @Test
    void resetClearsTheWindowAndTheBackoff() {
        CircuitBreaker breaker = CircuitBreaker.builder("ops").clock(clock).build();
        fail(breaker, 5);
        clock.advance(Duration.ofSeconds(60));
        fail(breaker, 1);
        assertThat(breaker.currentRecoveryTimeout()).isEqualTo(Duration.ofSeconds(120));

        breaker.reset();

        assertThat(breaker.currentRecoveryTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(breaker.stats().consecutiveFailures()).isZero();
        assertThat(breaker.stats().history()).last().extracting(CircuitBreaker.Event.StateTransition::reason).isEqualTo(CircuitBreaker.TransitionReason.MANUAL_RESET);
    }

    @Test
    void ignoredExceptionsCountAsNeitherSuccessNorFailure() {
        CircuitBreaker breaker = CircuitBreaker.builder("files").clock(clock)
                .ignoreException(FileNotFoundException.class::isInstance).build();

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> breaker.execute(() -> {
                throw new FileNotFoundException("no such order");
            })).isInstanceOf(FileNotFoundException.class);
        }

        CircuitBreaker.Stats stats = breaker.stats();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(stats.ignoredCalls()).isEqualTo(10);
        assertThat(stats.totalCalls()).isZero();
    }

    @Test
    void exceptionsOutsideTheFailurePredicateCountAsSuccesses() {
        CircuitBreaker breaker = CircuitBreaker.builder("io").clock(clock)
                .recordFailure(IOException.class::isInstance).build();

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> breaker.execute(() -> {
                throw new IllegalArgumentException("caller's fault");
            })).isInstanceOf(IllegalArgumentException.class);
        }

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.stats().successfulCalls()).isEqualTo(10);
    }

    @Test
    void resultsCanCountAsFailures() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.builder("http").clock(clock)
                .recordResult(result -> result instanceof Integer status && status >= 500).build();

        for (int i = 0; i < 5; i++) {
            assertThat(breaker.execute(() -> 503)).isEqualTo(503);
        }

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.stats().failedCalls()).isEqualTo(5);
    }

    @Test
    void statsCountEveryKindOfOutcome() {
        CircuitBreaker breaker = CircuitBreaker.builder("stats").clock(clock).failureRateThreshold(100)
                .consecutiveFailureThreshold(0).build();
        succeed(breaker, 6);
        fail(breaker, 2);
        breaker.onError(-1, new TimeoutException("too slow"));
        breaker.onError(-1, new SocketTimeoutException("read timed out"));
        clock.advance(Duration.ofSeconds(3));

        CircuitBreaker.Stats stats = breaker.stats();

        assertThat(stats.totalCalls()).isEqualTo(10);
        assertThat(stats.successfulCalls()).isEqualTo(6);
        assertThat(stats.failedCalls()).isEqualTo(4);
        assertThat(stats.timedOutCalls()).isEqualTo(2);
        assertThat(stats.windowCalls()).isEqualTo(10);
        assertThat(stats.failureRatePercent()).hasValue(40.0);
        assertThat(stats.successRatePercent()).isEqualTo(60.0);
        assertThat(stats.timeInState()).isEqualTo(Duration.ofSeconds(3));
        assertThat(stats.lastFailureWallMillis()).hasValue(clock.wallMillis() - 3_000);
    }

    @Test
    void historyIsBoundedBySize() {
        CircuitBreaker breaker = CircuitBreaker.builder("flappy").clock(clock).historySize(4).build();

        for (int i = 0; i < 20; i++) {
            breaker.trip();
            breaker.reset();
        }

        assertThat(breaker.stats().history()).hasSize(4);
    }

    @Test
    void historyDropsTransitionsOlderThanTheRetentionPeriod() {
        CircuitBreaker breaker = CircuitBreaker.builder("old").clock(clock).retentionPeriod(Duration.ofHours(24)).build();
        breaker.trip();
        breaker.reset();
        clock.advance(Duration.ofHours(25));
        breaker.trip();

        assertThat(breaker.stats().history()).hasSize(1);
        assertThat(breaker.cleanup()).isZero();
    }

    @Test
    void forceCleanupDropsExpiredTransitionsOnDemand() {
        CircuitBreaker breaker = CircuitBreaker.builder("old").clock(clock).retentionPeriod(Duration.ofMinutes(10))
                .cleanupInterval(Duration.ofHours(24)).build();
        breaker.trip();
        breaker.reset();
        clock.advance(Duration.ofMinutes(11));

        assertThat(breaker.cleanup()).isEqualTo(2);
    }

    @Test
    void aThrowingListenerNeverBreaksTheCall() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.builder("listened").clock(clock).build();
        breaker.subscribe(event -> {
            throw new IllegalStateException("listener bug");
        });

        assertThat(breaker.execute(() -> "still fine")).isEqualTo("still fine");
        fail(breaker, 5);

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.listenerFailures()).isEqualTo(7);
    }

    @Test
    void transitionsLogSeedThreesStructuredLine() {
        CircuitBreaker.Event.StateTransition transition = new CircuitBreaker.Event.StateTransition("rpc.example.com",
                CircuitBreaker.State.HALF_OPEN, CircuitBreaker.State.CLOSED, CircuitBreaker.TransitionReason.PROBES_SUCCEEDED, 0, 95.0, OptionalDouble.of(45.2), 0L);

        assertThat(transition.toLogLine()).isEqualTo("endpoint=rpc.example.com state_transition=\"HALF_OPEN -> CLOSED\" "
                + "reason=\"success_threshold_reached\" fail_count=0 success_rate=\"95.00%\" latency_ms=45.2");
    }

    @Test
    void outcomeEventsCarryADurationOnlyWhenTheCallWasTimed() {
        CircuitBreaker breaker = CircuitBreaker.builder("rpc").clock(new ManualClock()).build();
        List<CircuitBreaker.Event> events = new CopyOnWriteArrayList<>();
        breaker.subscribe(events::add);

        assertThat(breaker.tryAcquirePermission()).isTrue();
        breaker.onSuccess(-1);
        assertThat(breaker.tryAcquirePermission()).isTrue();
        breaker.onSuccess(Duration.ofMillis(25).toNanos());
        assertThat(breaker.tryAcquirePermission()).isTrue();
        breaker.onError(-1, new IOException("down"));
        assertThat(breaker.tryAcquirePermission()).isTrue();
        breaker.onError(Duration.ofMillis(7).toNanos(), new IOException("down"));

        assertThat(events).filteredOn(CircuitBreaker.Event.SuccessRecorded.class::isInstance)
                .map(event -> ((CircuitBreaker.Event.SuccessRecorded) event).durationNanos())
                .containsExactly(OptionalLong.empty(), OptionalLong.of(25_000_000L));
        assertThat(events).filteredOn(CircuitBreaker.Event.FailureRecorded.class::isInstance)
                .map(event -> ((CircuitBreaker.Event.FailureRecorded) event).durationNanos())
                .containsExactly(OptionalLong.empty(), OptionalLong.of(7_000_000L));
    }
}
