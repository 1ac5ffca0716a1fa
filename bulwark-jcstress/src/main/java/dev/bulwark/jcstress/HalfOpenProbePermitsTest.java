package dev.bulwark.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.bulwark.circuit.CircuitBreaker;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A half-open breaker with three probe permits and two callers asking for two each: exactly three are granted
 * between them, never four, never two. (Two actors, so that it runs on two CPUs.)
 */
@JCStressTest
@Description("HALF_OPEN grants exactly its probe permits")
@Outcome(id = {"1, 2", "2, 1"}, expect = ACCEPTABLE, desc = "exactly three probes admitted")
@Outcome(expect = FORBIDDEN, desc = "a permit granted twice, or one lost")
@State
public class HalfOpenProbePermitsTest {
    private final Fixtures.CountedBreaker subject = new Fixtures.CountedBreaker(
            CircuitBreaker.builder("half-open-permits").halfOpenMaxProbes(3).successThreshold(3));

    public HalfOpenProbePermitsTest() {
        subject.toHalfOpen();
    }

    private int twoAttempts() {
        int granted = subject.breaker.tryAcquirePermission() ? 1 : 0;
        return granted + (subject.breaker.tryAcquirePermission() ? 1 : 0);
    }

    @Actor
    public void first(II_Result result) {
        result.r1 = twoAttempts();
    }

    @Actor
    public void second(II_Result result) {
        result.r2 = twoAttempts();
    }
}
