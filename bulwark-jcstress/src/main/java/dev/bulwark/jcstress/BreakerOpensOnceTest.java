package dev.bulwark.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.bulwark.circuit.CircuitBreaker;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Two failures race to reach a closed breaker's threshold: the breaker opens, and exactly once (one
 * transition, one event), whichever failure is judged last and whether or not the other was admitted.
 */
@JCStressTest
@Description("Two racing failures at the threshold open the circuit exactly once")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "one CLOSED -> OPEN transition, the circuit is open")
@Outcome(expect = FORBIDDEN, desc = "no transition, or two (a duplicated event), or not open")
@State
public class BreakerOpensOnceTest {
    private final Fixtures.CountedBreaker subject = new Fixtures.CountedBreaker(
            CircuitBreaker.builder("opens-once").consecutiveFailureThreshold(2).countWindow(100));

    public BreakerOpensOnceTest() {
        subject.fail(); // one short of the threshold
    }

    @Actor
    public void firstFailure() {
        subject.fail();
    }

    @Actor
    public void secondFailure() {
        subject.fail();
    }

    @Arbiter
    public void judge(II_Result result) {
        result.r1 = subject.transitions(CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN);
        result.r2 = subject.breaker.state() == CircuitBreaker.State.OPEN ? 1 : 0;
    }
}
