package dev.bulwark.circuit;

import static dev.bulwark.circuit.Calls.fail;
import static dev.bulwark.circuit.Calls.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Failure-rate and slow-call-rate judgement over count- and time-based windows. */
class WindowsTest {

    private final ManualClock clock = new ManualClock();

    private CircuitBreakerConfig.Builder rateOnly() {
        return CircuitBreaker.builder("rates").clock(clock).consecutiveFailureThreshold(0);
    }

    @Test
    void countWindowOpensWhenTheFailureRateReachesTheThreshold() {
        CircuitBreaker breaker = rateOnly().countWindow(10).minimumNumberOfCalls(10).failureRateThreshold(50).build();

        succeed(breaker, 5);
        fail(breaker, 4);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        fail(breaker, 1);

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.stats().failureRatePercent()).hasValue(50.0);
    }

    @Test
    void noVerdictBeforeTheMinimumNumberOfCalls() {
        CircuitBreaker breaker = rateOnly().countWindow(20).minimumNumberOfCalls(10).build();

        fail(breaker, 9);

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.stats().failureRatePercent()).isEmpty();
        assertThat(breaker.stats().slowCallRatePercent()).as("slow-call detection is off").isEmpty();
        assertThat(breaker.stats().successRatePercent()).as("a percentage, like the rate thresholds").isZero();
        fail(breaker, 1);
        assertThat(breaker.stats().failureRatePercent()).hasValue(100.0);
    }

    @Test
    void aSuccessThatBringsTheWindowToItsMinimumCanOpenIt() {
        CircuitBreaker breaker = rateOnly().countWindow(20).minimumNumberOfCalls(10).build();
        fail(breaker, 9);

        succeed(breaker, 1);

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.stats().history()).last().extracting(CircuitBreaker.Event.StateTransition::reason).isEqualTo(CircuitBreaker.TransitionReason.FAILURE_RATE);
    }

    @Test
    void failuresSlideOutOfTheCountWindow() {
        CircuitBreaker breaker = rateOnly().countWindow(10).minimumNumberOfCalls(10).build();
        fail(breaker, 4);
        succeed(breaker, 6);
        assertThat(breaker.stats().windowFailures()).isEqualTo(4);

        succeed(breaker, 4);

        CircuitBreaker.Stats stats = breaker.stats();
        assertThat(stats.windowCalls()).isEqualTo(10);
        assertThat(stats.windowFailures()).isZero();
        assertThat(stats.failureRatePercent()).hasValue(0.0);
        fail(breaker, 4);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void timeWindowCountsOnlyTheLastNSeconds() {
        CircuitBreaker breaker = rateOnly().timeWindow(10).minimumNumberOfCalls(4).build();
        fail(breaker, 3);
        clock.advance(Duration.ofSeconds(11));

        succeed(breaker, 3);
        fail(breaker, 1);

        assertThat(breaker.stats().windowCalls()).isEqualTo(4);
        assertThat(breaker.stats().windowFailures()).isEqualTo(1);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void timeWindowSlidesSecondBySecondWithExactCounts() {
        CircuitBreaker breaker = rateOnly().timeWindow(5).minimumNumberOfCalls(1).failureRateThreshold(100).build();
        for (int second = 0; second < 12; second++) {
            succeed(breaker, second + 1);
            int expected = 0;
            for (int earlier = Math.max(0, second - 4); earlier <= second; earlier++) {
                expected += earlier + 1;
            }
            assertThat(breaker.stats().windowCalls()).as("second %d", second).isEqualTo(expected);
            clock.advance(Duration.ofSeconds(1));
        }
        clock.advance(Duration.ofSeconds(5));
        assertThat(breaker.stats().windowCalls()).isZero();
    }

    @Test
    void timeWindowOpensOnTheRateWithinIt() {
        CircuitBreaker breaker = rateOnly().timeWindow(10).minimumNumberOfCalls(4).failureRateThreshold(50).build();
        succeed(breaker, 2);
        clock.advance(Duration.ofSeconds(5));
        fail(breaker, 1);
        clock.advance(Duration.ofSeconds(4));

        fail(breaker, 1);

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void slowCallsOpenTheCircuitAtTheSlowCallRate() {
        CircuitBreaker breaker = rateOnly().countWindow(10).minimumNumberOfCalls(4)
                .slowCallDuration(Duration.ofSeconds(2)).slowCallRateThreshold(50).build();

        for (int i = 0; i < 4; i++) {
            boolean slow = i % 2 == 0;
            breakerCallTaking(breaker, slow ? Duration.ofSeconds(3) : Duration.ofMillis(10));
        }

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        CircuitBreaker.Stats stats = breaker.stats();
        assertThat(stats.slowCalls()).isEqualTo(2);
        assertThat(stats.failedCalls()).isZero();
        assertThat(stats.history()).last().extracting(CircuitBreaker.Event.StateTransition::reason).isEqualTo(CircuitBreaker.TransitionReason.SLOW_CALL_RATE);
    }

    @Test
    void aSlowProbeReopensAHalfOpenCircuit() {
        CircuitBreaker breaker = CircuitBreaker.builder("slow").clock(clock).slowCallDuration(Duration.ofSeconds(1)).build();
        breaker.trip();
        clock.advance(Duration.ofSeconds(60));

        breakerCallTaking(breaker, Duration.ofSeconds(2));

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    private void breakerCallTaking(CircuitBreaker breaker, Duration duration) {
        try {
            breaker.execute(() -> {
                clock.advance(duration);
                return "done";
            });
        } catch (Exception unexpected) {
            throw new AssertionError(unexpected);
        }
    }
}
