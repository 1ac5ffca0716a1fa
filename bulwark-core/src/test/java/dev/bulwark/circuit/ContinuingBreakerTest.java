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

/** {@link CircuitBreaker#continuing}: a breaker rebuilt with a new config starts where the old one is. */
class ContinuingBreakerTest {

    private final ManualClock clock = new ManualClock();
    private final List<CircuitBreaker.Event.StateTransition> transitions = new CopyOnWriteArrayList<>();

    private CircuitBreakerConfig.Builder config() {
        return CircuitBreaker.builder("payments").clockAndScheduler(clock).consecutiveFailureThreshold(0)
                .countWindow(10).minimumNumberOfCalls(4).failureRateThreshold(50).recoveryTimeout(Duration.ofSeconds(60));
    }

    private CircuitBreaker watched(CircuitBreaker breaker) {
        breaker.subscribe(event -> {
            if (event instanceof CircuitBreaker.Event.StateTransition t) {
                transitions.add(t);
            }
        });
        return breaker;
    }

    @Test
    void anOpenBreakerStaysOpenForTheRestOfItsWaitAndEachTransitionIsReportedOnce() {
        CircuitBreaker old = config().build();
        fail(old, 4);
        clock.advance(Duration.ofSeconds(20));

        CircuitBreaker refreshed = watched(CircuitBreaker.continuing(old, config().successThreshold(1).halfOpenMaxProbes(1)
                .buildConfig()));

        assertThat(refreshed.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(rejected(refreshed)).isTrue();
        assertThat(transitions).as("starting in a carried state is no transition").isEmpty();
        clock.advance(Duration.ofSeconds(39));
        assertThat(refreshed.state()).isEqualTo(CircuitBreaker.State.OPEN);
        clock.advance(Duration.ofSeconds(1));
        assertThat(transitions).extracting(CircuitBreaker.Event.StateTransition::to)
                .as("the new breaker's own timer ends the carried wait").containsExactly(CircuitBreaker.State.HALF_OPEN);
        succeed(refreshed, 1);
        assertThat(refreshed.state()).as("the new config's success threshold applies").isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(transitions).hasSize(2);
    }

    @Test
    void theReopenCountCarriesSoTheNextOpenPeriodGrowsAsBefore() {
        CircuitBreaker old = config().exponentialBackoff(true).backoffMultiplier(2).build();
        fail(old, 4);
        clock.advance(Duration.ofSeconds(60));
        fail(old, 1); // failed probe: re-opened for 120 s

        CircuitBreaker refreshed = CircuitBreaker.continuing(old, config().exponentialBackoff(true).backoffMultiplier(2)
                .buildConfig());

        assertThat(refreshed.currentRecoveryTimeout()).isEqualTo(Duration.ofSeconds(120));
        clock.advance(Duration.ofSeconds(119));
        assertThat(refreshed.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void anExpiredOpenPeriodContinuesHalfOpen() {
        CircuitBreaker old = config().build();
        fail(old, 4);
        clock.advance(Duration.ofSeconds(60));

        CircuitBreaker refreshed = CircuitBreaker.continuing(old, config().buildConfig());

        assertThat(refreshed.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    @Test
    void aClosedCountWindowCarriesItsRecentOutcomesIntoTheNewWindow() {
        CircuitBreaker old = config().build();
        succeed(old, 5);
        fail(old, 3); // 3 of 8 failed: below 50 %

        CircuitBreaker refreshed = CircuitBreaker.continuing(old, config().buildConfig().toBuilder().countWindow(4).buildConfig());

        assertThat(refreshed.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(refreshed.stats().windowCalls()).isEqualTo(4);
        assertThat(refreshed.stats().windowFailures()).as("the last four: S,F,F,F").isEqualTo(3);
        succeed(refreshed, 1); // F,F,F,S: 75 %, judged on this call
        assertThat(refreshed.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void aTimeWindowStartsEmpty() {
        CircuitBreaker old = config().build();
        fail(old, 3);

        CircuitBreaker refreshed = CircuitBreaker.continuing(old, config().buildConfig().toBuilder()
                .windowType(CircuitBreakerConfig.WindowType.TIME_BASED).windowSize(10).buildConfig());

        assertThat(refreshed.stats().windowCalls()).isZero();
        fail(refreshed, 1);
        assertThat(refreshed.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void operatorStatesAreKept() {
        CircuitBreaker old = config().build();
        old.forceOpen();

        assertThat(CircuitBreaker.continuing(old, config().buildConfig()).state()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);
    }

    @Test
    void onlyBreakersBuiltHereCanBeContinued() {
        CircuitBreaker foreign = (CircuitBreaker) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {CircuitBreaker.class}, (proxy, method, args) -> null);

        assertThatThrownBy(() -> CircuitBreaker.continuing(foreign, config().buildConfig()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("can only continue");
    }
}
