package dev.bulwark.circuit;

import static dev.bulwark.circuit.Calls.fail;
import static dev.bulwark.circuit.Calls.rejected;
import static dev.bulwark.circuit.Calls.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The judging edges MicroProfile Fault Tolerance relies on: a window filled by a success, ratio 0 and 1, delay 0. */
class EdgeThresholdsTest {

    private final ManualClock clock = new ManualClock();

    private CircuitBreakerConfig.Builder rateOnly(double percent) {
        return CircuitBreaker.builder("mp").clockAndScheduler(clock).countWindow(4).minimumNumberOfCalls(4)
                .failureRateThreshold(percent).consecutiveFailureThreshold(0);
    }

    @Test
    void aSuccessThatFillsTheWindowIsJudgedAtOnceAndStillReturnsItsResult() throws Exception {
        CircuitBreaker breaker = rateOnly(50).build();
        fail(breaker, 2);
        succeed(breaker, 1);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);

        String fourth = breaker.execute(() -> "fourth's own result");

        assertThat(fourth).isEqualTo("fourth's own result");
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(rejected(breaker)).isTrue();
    }

    @Test
    void aSuccessThatFillsTheWindowIsJudgedAtOnceAsynchronouslyToo() {
        CircuitBreaker breaker = rateOnly(50).build();
        fail(breaker, 2);
        succeed(breaker, 1);

        assertThat(breaker.executeAsync(() -> java.util.concurrent.CompletableFuture.completedFuture("fourth"))
                .toCompletableFuture()).isCompletedWithValue("fourth");
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void zeroPercentOpensOnAnyFailureOnceTheMinimumIsReachedButNeverWithoutAFailure() {
        CircuitBreaker clean = rateOnly(0).build();
        succeed(clean, 10);
        assertThat(clean.state()).as("no failure, no opening").isEqualTo(CircuitBreaker.State.CLOSED);

        CircuitBreaker early = rateOnly(0).build();
        fail(early, 1);
        succeed(early, 2);
        assertThat(early.state()).as("below the minimum").isEqualTo(CircuitBreaker.State.CLOSED);
        succeed(early, 1);
        assertThat(early.state()).as("one failure in four, minimum reached").isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void hundredPercentOpensOnlyWhenEveryCallInTheWindowFailed() {
        CircuitBreaker breaker = rateOnly(100).build();
        fail(breaker, 3);
        succeed(breaker, 1);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        fail(breaker, 3);
        assertThat(breaker.state()).as("three of the last four failed").isEqualTo(CircuitBreaker.State.CLOSED);
        fail(breaker, 1);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void aZeroRecoveryTimeoutLetsTheNextCallThroughAsAProbe() throws Exception {
        List<CircuitBreaker.Event.StateTransition> transitions = new CopyOnWriteArrayList<>();
        CircuitBreaker breaker = rateOnly(50).recoveryTimeout(Duration.ZERO).successThreshold(1).halfOpenMaxProbes(1)
                .build();
        breaker.subscribe(event -> {
            if (event instanceof CircuitBreaker.Event.StateTransition t) {
                transitions.add(t);
            }
        });
        fail(breaker, 4);
        assertThat(transitions).extracting(CircuitBreaker.Event.StateTransition::to)
                .containsExactly(CircuitBreaker.State.OPEN);
        assertThat(clock.pendingTasks()).as("no timer for an open period already over").isZero();

        assertThat(breaker.execute(() -> "probe")).isEqualTo("probe");

        assertThat(transitions).extracting(CircuitBreaker.Event.StateTransition::to)
                .containsExactly(CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN, CircuitBreaker.State.CLOSED);
    }

    @Test
    void theEdgeValuesAreAccepted() {
        CircuitBreakerConfig config = rateOnly(0).recoveryTimeout(Duration.ZERO).slowCallRateThreshold(0).buildConfig();
        assertThat(config.failureRateThreshold()).isZero();
        assertThat(config.slowCallRateThreshold()).isZero();
        assertThat(config.recoveryTimeout()).isZero();
    }
}
