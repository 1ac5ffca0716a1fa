package dev.bulwark.circuit;

import static dev.bulwark.circuit.Calls.fail;
import static dev.bulwark.circuit.Calls.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PeerVerdictTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void adoptOpenOpensForExactlyTheGivenPeriodWithoutRecordingAFailure() {
        CircuitBreaker breaker = CircuitBreaker.builder("peer").clock(clock).recoveryTimeout(Duration.ofSeconds(60)).build();
        List<CircuitBreaker.Event.StateTransition> transitions = transitions(breaker);

        assertThat(breaker.adoptOpen(Duration.ofSeconds(7))).isTrue();

        assertThat(rejected(breaker)).isTrue();
        assertThat(breaker.stats().failedCalls()).isZero();
        assertThat(transitions).singleElement().satisfies(t -> {
            assertThat(t.to()).isEqualTo(CircuitBreaker.State.OPEN);
            assertThat(t.reason()).isEqualTo(CircuitBreaker.TransitionReason.PEER_VERDICT);
        });
        clock.advance(Duration.ofMillis(6_999));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        clock.advance(Duration.ofMillis(1));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    @Test
    void adoptOpenExtendsAShorterOpenPeriodButNeverShortensALongerOne() {
        CircuitBreaker breaker = CircuitBreaker.builder("peer").clock(clock).recoveryTimeout(Duration.ofSeconds(10)).build();
        breaker.trip();

        assertThat(breaker.adoptOpen(Duration.ofSeconds(5))).isFalse();
        assertThat(breaker.adoptOpen(Duration.ofSeconds(30))).isTrue();
        clock.advance(Duration.ofSeconds(29));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        clock.advance(Duration.ofSeconds(1));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    @Test
    void operatorStatesAreLeftAlone() {
        CircuitBreaker breaker = CircuitBreaker.builder("peer").clock(clock).build();
        breaker.disable();

        assertThat(breaker.adoptOpen(Duration.ofSeconds(5))).isFalse();
        assertThat(breaker.adoptClosed()).isFalse();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.DISABLED);
        breaker.forceOpen();
        assertThat(breaker.adoptClosed()).isFalse();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);
    }

    @Test
    void adoptClosedClosesAnOpenCircuitAndKeepsTheBackoff() {
        CircuitBreaker breaker = CircuitBreaker.builder("peer").clock(clock).consecutiveFailureThreshold(1)
                .recoveryTimeout(Duration.ofSeconds(10)).exponentialBackoff(true).backoffMultiplier(2.0)
                .maxRecoveryTimeout(Duration.ofSeconds(100)).build();
        fail(breaker, 1);
        clock.advance(Duration.ofSeconds(10));
        fail(breaker, 1); // the probe fails: the second open period is 20 s
        List<CircuitBreaker.Event.StateTransition> transitions = transitions(breaker);

        assertThat(breaker.adoptClosed()).isTrue();

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(transitions).singleElement().extracting(CircuitBreaker.Event.StateTransition::reason)
                .isEqualTo(CircuitBreaker.TransitionReason.PEER_VERDICT);
        assertThat(breaker.adoptClosed()).isFalse();
        assertThat(breaker.currentRecoveryTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aZeroPeriodIsRefused() {
        CircuitBreaker breaker = CircuitBreaker.builder("peer").clock(clock).build();

        assertThatThrownBy(() -> breaker.adoptOpen(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("openFor must be > 0, was PT0S");
    }

    private static List<CircuitBreaker.Event.StateTransition> transitions(CircuitBreaker breaker) {
        List<CircuitBreaker.Event.StateTransition> seen = new CopyOnWriteArrayList<>();
        breaker.subscribe(event -> {
            if (event instanceof CircuitBreaker.Event.StateTransition t) {
                seen.add(t);
            }
        });
        return seen;
    }
}
