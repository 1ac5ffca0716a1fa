package dev.bulwark.circuit;

import static dev.bulwark.circuit.Calls.fail;
import static dev.bulwark.circuit.Calls.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A half-open circuit that hears no verdict for 60 s re-opens then, with free probe slots too: on time with a
 * scheduler, at the next look (state or call) without one. Exactly one event per move; a late probe result does
 * not count in the next phase.
 */
class HalfOpenTimeoutTest {

    private final ManualClock clock = new ManualClock();
    private final List<CircuitBreaker.Event.StateTransition> transitions = new CopyOnWriteArrayList<>();

    private CircuitBreaker breaker(boolean scheduled) {
        CircuitBreakerConfig.Builder builder = CircuitBreaker.builder("payments");
        CircuitBreaker breaker = (scheduled ? builder.clockAndScheduler(clock) : builder.clock(clock)).build();
        breaker.subscribe(event -> {
            if (event instanceof CircuitBreaker.Event.StateTransition transition) {
                transitions.add(transition);
            }
        });
        fail(breaker, 5);
        clock.advance(Duration.ofSeconds(60));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        return breaker;
    }

    @Test
    void withASchedulerAnUnprobedHalfOpenCircuitReopensOnTime() {
        CircuitBreaker breaker = breaker(true);
        long halfOpenAt = clock.wallMillis();

        clock.advance(Duration.ofSeconds(59));
        assertThat(transitions).hasSize(2);
        clock.advance(Duration.ofSeconds(1));

        assertThat(transitions).hasSize(3).last().satisfies(t -> {
            assertThat(t.from()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
            assertThat(t.to()).isEqualTo(CircuitBreaker.State.OPEN);
            assertThat(t.reason()).isEqualTo(CircuitBreaker.TransitionReason.HALF_OPEN_TIMEOUT);
            assertThat(t.wallMillis()).isEqualTo(halfOpenAt + 60_000);
        });
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.currentRecoveryTimeout()).as("a re-open doubles the open period").isEqualTo(Duration.ofSeconds(120));
        clock.advance(Duration.ofSeconds(120));
        assertThat(breaker.state()).as("and the re-opened circuit moves on time again").isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(transitions).hasSize(4);
    }

    @Test
    void withoutASchedulerStateShowsTheReopenAtTheNextLook() {
        CircuitBreaker breaker = breaker(false);
        assertThat(breaker.tryAcquirePermission()).as("one probe in flight, two slots free").isTrue();

        clock.advance(Duration.ofSeconds(60));

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.stats().state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(transitions).extracting(CircuitBreaker.Event.StateTransition::reason).containsExactly(
                CircuitBreaker.TransitionReason.CONSECUTIVE_FAILURES, CircuitBreaker.TransitionReason.RECOVERY_TIMEOUT_ELAPSED,
                CircuitBreaker.TransitionReason.HALF_OPEN_TIMEOUT);
    }

    @Test
    void withoutASchedulerTheNextCallSeesTheReopenedState() {
        CircuitBreaker breaker = breaker(false);

        clock.advance(Duration.ofSeconds(60));

        assertThat(rejected(breaker)).as("free slots, but the half-open period is over").isTrue();
        assertThat(transitions).hasSize(3).last().extracting(CircuitBreaker.Event.StateTransition::reason)
                .isEqualTo(CircuitBreaker.TransitionReason.HALF_OPEN_TIMEOUT);
    }

    @Test
    void aProbeAnsweringAfterTheReopenDoesNotCountInTheNextPhase() {
        CircuitBreaker breaker = breaker(true);
        CompletableFuture<String> slowProbe = new CompletableFuture<>();
        CompletableFuture<String> pending = breaker.executeAsync(() -> slowProbe).toCompletableFuture();
        clock.advance(Duration.ofSeconds(60));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        clock.advance(Duration.ofSeconds(120));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);

        slowProbe.complete("late");

        assertThat(pending).isCompletedWithValue("late");
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        for (int i = 0; i < 3; i++) {
            assertThat(breaker.tryAcquirePermission()).as("the new phase still has all its slots").isTrue();
        }
        assertThat(transitions).hasSize(4);
    }
}
