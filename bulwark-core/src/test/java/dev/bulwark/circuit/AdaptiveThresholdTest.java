package dev.bulwark.circuit;

import static dev.bulwark.circuit.Calls.fail;
import static dev.bulwark.circuit.Calls.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bulwark.time.ManualClock;
import org.junit.jupiter.api.Test;

/** Seed 3's EWMA-adaptive threshold. */
class AdaptiveThresholdTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void ewmaStepsFollowTheFormula() {
        // alpha 0.3, three samples of 1.0 from zero: mean 0.3, 0.51, 0.657; variance 0.21, 0.2499, 0.225351
        double[] state = {0, 0};
        double[][] expected = {{0.3, 0.21}, {0.51, 0.2499}, {0.657, 0.225351}};
        for (double[] step : expected) {
            state = Ewma.step(state[0], state[1], 0.3, 1.0);
            assertThat(state[0]).isCloseTo(step[0], within(1e-9));
            assertThat(state[1]).isCloseTo(step[1], within(1e-9));
        }
    }

    @Test
    void packedEwmaMatchesTheFormulaWithinFloatPrecision() {
        Ewma ewma = new Ewma(0.3);
        for (int i = 0; i < 3; i++) {
            ewma.update(1.0);
        }

        assertThat(ewma.mean()).isCloseTo(0.657, within(1e-6));
        assertThat(ewma.variance()).isCloseTo(0.225351, within(1e-6));
        assertThat(ewma.level(2.0)).isCloseTo(0.657 + 2 * Math.sqrt(0.225351), within(1e-5));
    }

    @Test
    void decaysToIdleSoTheFastPathCanSkipIt() {
        Ewma ewma = new Ewma(0.3);
        ewma.update(1.0);
        for (int i = 0; i < 100 && !ewma.isIdle(); i++) {
            ewma.update(0.0);
        }
        assertThat(ewma.isIdle()).isTrue();
    }

    @Test
    void thresholdScalesAsTheSeedSays() {
        assertThat(Ewma.scaledThreshold(9, 0.8)).as("> 0.7: divided by 3").isEqualTo(3);
        assertThat(Ewma.scaledThreshold(9, 0.6)).as("> 0.5: divided by 2").isEqualTo(4);
        assertThat(Ewma.scaledThreshold(8, 0.4)).as("> 0.3: three quarters").isEqualTo(6);
        assertThat(Ewma.scaledThreshold(9, 0.3)).as("low: unchanged").isEqualTo(9);
        assertThat(Ewma.scaledThreshold(2, 0.9)).as("never below one").isEqualTo(1);
    }

    private CircuitBreakerConfig.Builder adaptive(boolean on) {
        return adaptive(on, 6);
    }

    private CircuitBreakerConfig.Builder adaptive(boolean on, int consecutiveFailureThreshold) {
        return CircuitBreaker.builder(on ? "adaptive" : "fixed").clock(clock).countWindow(20).minimumNumberOfCalls(20)
                .failureRateThreshold(100).consecutiveFailureThreshold(consecutiveFailureThreshold).adaptiveThreshold(on);
    }

    @Test
    void chronicDegradationLowersTheThresholdAndOpensWhereAFixedOneWouldNot() {
        CircuitBreaker adaptive = adaptive(true).build();
        CircuitBreaker fixed = adaptive(false).build();

        for (CircuitBreaker breaker : new CircuitBreaker[] {adaptive, fixed}) {
            succeed(breaker, 40);
            for (int round = 0; round < 30 && breaker.state() == CircuitBreaker.State.CLOSED; round++) {
                fail(breaker, 3);
                if (breaker.state() == CircuitBreaker.State.CLOSED) {
                    succeed(breaker, 2);
                }
            }
        }

        assertThat(fixed.state()).as("runs of 3 never reach the fixed threshold of 6").isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(adaptive.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(adaptive.stats().history()).last().extracting(CircuitBreaker.Event.StateTransition::reason)
                .isEqualTo(CircuitBreaker.TransitionReason.CONSECUTIVE_FAILURES);
    }

    @Test
    void aShortSpikeLowersTheThresholdOnlyWhileItLasts() {
        CircuitBreaker breaker = adaptive(true, 8).build();
        succeed(breaker, 200);
        assertThat(breaker.stats().failureThreshold()).isEqualTo(8);

        // window rate 0.05 .. 0.25: EWMA 0.153, sigma 0.091, level 0.335 > 0.3 -> three quarters of 8
        fail(breaker, 5);
        assertThat(breaker.stats().failureThreshold()).isEqualTo(6);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        succeed(breaker, 40);

        assertThat(breaker.stats().failureThreshold()).as("back to the base once the spike has passed").isEqualTo(8);
        fail(breaker, 5);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void offByDefault() {
        CircuitBreaker breaker = CircuitBreaker.builder("plain").clock(clock).failureRateThreshold(100).build();
        fail(breaker, 4);
        assertThat(breaker.stats().failureThreshold()).isEqualTo(5);
    }
}
