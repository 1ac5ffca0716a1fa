package dev.bulwark.circuit;

import static dev.bulwark.circuit.Calls.fail;
import static dev.bulwark.circuit.Calls.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Time-based thresholding: N failures among at least M calls within the period open the circuit. */
class FailureCountThresholdTest {

    private final ManualClock clock = new ManualClock();
    private final List<CircuitBreaker.Event.StateTransition> transitions = new CopyOnWriteArrayList<>();

    /** 3 failures among at least 5 calls within 10 s; the other thresholds out of the way. */
    private CircuitBreaker threeInFiveWithinTenSeconds() {
        CircuitBreaker breaker = CircuitBreaker.builder("payments").clock(clock).consecutiveFailureThreshold(0)
                .failureRateThreshold(100).minimumNumberOfCalls(1000).failureThreshold(3, 5, Duration.ofSeconds(10))
                .build();
        breaker.subscribe(event -> {
            if (event instanceof CircuitBreaker.Event.StateTransition transition) {
                transitions.add(transition);
            }
        });
        return breaker;
    }

    @Test
    void threeFailuresAmongFiveCallsWithinThePeriodOpenTheCircuit() {
        CircuitBreaker breaker = threeInFiveWithinTenSeconds();

        succeed(breaker, 2);
        clock.advance(Duration.ofSeconds(4));
        fail(breaker, 2);
        clock.advance(Duration.ofSeconds(4));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        fail(breaker, 1);

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(transitions).singleElement().extracting(CircuitBreaker.Event.StateTransition::reason)
                .isEqualTo(CircuitBreaker.TransitionReason.FAILURE_COUNT);
        assertThat(CircuitBreaker.TransitionReason.FAILURE_COUNT.label()).isEqualTo("failure_count_exceeded");
    }

    @Test
    void theFailuresAloneAreNotEnoughUntilTheWindowHoldsTheMinimumOfCalls() {
        CircuitBreaker breaker = threeInFiveWithinTenSeconds();

        fail(breaker, 3);
        succeed(breaker, 1);
        assertThat(breaker.state()).as("3 failures among 4 calls").isEqualTo(CircuitBreaker.State.CLOSED);
        clock.advance(Duration.ofSeconds(1));
        succeed(breaker, 1);

        assertThat(breaker.state()).as("3 failures among 5 calls").isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void failuresOlderThanThePeriodLeaveTheWindow() {
        CircuitBreaker breaker = threeInFiveWithinTenSeconds();

        fail(breaker, 2);
        succeed(breaker, 3);
        clock.advance(Duration.ofSeconds(11));
        fail(breaker, 2);
        succeed(breaker, 3);

        assertThat(breaker.state()).as("never 3 failures within 10 s").isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.stats().windowFailures()).isEqualTo(2);
        fail(breaker, 1);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void aCountWindowJudgesTheSameThresholdOverItsLastCalls() {
        CircuitBreaker breaker = CircuitBreaker.builder("payments").clock(clock).consecutiveFailureThreshold(0)
                .failureRateThreshold(100).countWindow(10).minimumNumberOfCalls(10).failureCountThreshold(2, 4).build();

        fail(breaker, 1);
        succeed(breaker, 9);
        fail(breaker, 1);
        assertThat(breaker.state()).as("the first failure left the last 10 calls").isEqualTo(CircuitBreaker.State.CLOSED);
        fail(breaker, 1);

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.failureThreshold(-1, 5, Duration.ofSeconds(10)),
                        "failureCountThreshold must be in [0, 100000], was -1"),
                Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.failureThreshold(5, 3, Duration.ofSeconds(10)),
                        "failureCountMinimumCalls must be in [5, 2147483647], was 3"),
                Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.failureCountThreshold(5, 200),
                        "failureCountMinimumCalls must be in [5, 100], was 200"),
                Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.failureThreshold(3, 5, Duration.ofMillis(1500)),
                        "failureThresholdPeriod must be whole seconds in [1 s, 3600 s], was PT1.5S"),
                Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.failureThreshold(3, 5, Duration.ofHours(2)),
                        "failureThresholdPeriod must be whole seconds in [1 s, 3600 s], was PT2H"),
                Arguments.of((UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.failureThreshold(3, 5, Duration.ofSeconds(10))
                                .countWindow(50),
                        "windowType must be given at most once, was given twice"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidSettings")
    void invalidSettingsFailAtBuildNamingFieldValueAndRange(UnaryOperator<CircuitBreakerConfig.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(CircuitBreaker.builder("payments")).build())
                .isInstanceOf(ConfigException.class).hasMessage("circuit 'payments': " + message);
    }
}
