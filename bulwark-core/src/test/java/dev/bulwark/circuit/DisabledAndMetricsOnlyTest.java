package dev.bulwark.circuit;

import static dev.bulwark.circuit.Calls.fail;
import static dev.bulwark.circuit.Calls.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A disabled breaker lets everything through and counts nothing; a metrics-only breaker lets everything through,
 * counts every outcome as a closed one would, and never changes state on them.
 */
class DisabledAndMetricsOnlyTest {

    private final ManualClock clock = new ManualClock();
    private final List<CircuitBreaker.Event> events = new CopyOnWriteArrayList<>();
    private final CircuitBreaker breaker = CircuitBreaker.builder("ops").clock(clock).build();

    DisabledAndMetricsOnlyTest() {
        breaker.subscribe(events::add);
    }

    @Test
    void aDisabledBreakerCountsNothing() {
        breaker.disable();

        fail(breaker, 50);
        succeed(breaker, 10);
        breaker.executeAsync(() -> CompletableFuture.failedFuture(new IOException("down")));
        breaker.onError(1_000, new IOException("down"));

        CircuitBreaker.Stats stats = breaker.stats();
        assertThat(stats.state()).isEqualTo(CircuitBreaker.State.DISABLED);
        assertThat(stats.totalCalls()).isZero();
        assertThat(stats.failedCalls()).isZero();
        assertThat(stats.successfulCalls()).isZero();
        assertThat(stats.windowCalls()).isZero();
        assertThat(stats.consecutiveFailures()).isZero();
        assertThat(stats.lastFailureWallMillis()).isEmpty();
        assertThat(breaker.stats().healthScore()).isEqualTo(1.0);
        assertThat(events).as("the transition only, no outcome events").singleElement()
                .isInstanceOf(CircuitBreaker.Event.StateTransition.class);
    }

    @Test
    void aMetricsOnlyBreakerCountsEveryOutcomeButNeverMoves() {
        succeed(breaker, 3);
        breaker.metricsOnly();

        fail(breaker, 50);
        succeed(breaker, 50);
        fail(breaker, 7);

        CircuitBreaker.Stats stats = breaker.stats();
        assertThat(stats.state()).isEqualTo(CircuitBreaker.State.METRICS_ONLY);
        assertThat(stats.totalCalls()).isEqualTo(3 + 107);
        assertThat(stats.failedCalls()).isEqualTo(57);
        assertThat(stats.windowCalls()).as("a fresh window").isEqualTo(100);
        assertThat(stats.windowFailures()).isEqualTo(50);
        assertThat(stats.failureRatePercent()).hasValue(50.0);
        assertThat(stats.consecutiveFailures()).isEqualTo(7);
        assertThat(events).filteredOn(CircuitBreaker.Event.FailureRecorded.class::isInstance).hasSize(57);
        assertThat(events).filteredOn(CircuitBreaker.Event.StateTransition.class::isInstance).singleElement()
                .extracting(event -> ((CircuitBreaker.Event.StateTransition) event).reason()).isEqualTo(CircuitBreaker.TransitionReason.METRICS_ONLY);
        assertThat(breaker.tryAcquirePermission()).isTrue();

        breaker.reset();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.stats().windowCalls()).isZero();
        fail(breaker, 5);
        assertThat(breaker.state()).as("judging again once reset").isEqualTo(CircuitBreaker.State.OPEN);
    }
}
