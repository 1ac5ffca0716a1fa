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
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The half-open verdict under racing probes. Two probes are allowed and two successes close the circuit.
 * {@link Close}: both probes succeed at once: it closes exactly once. {@link Reopen}: one succeeds while the
 * other fails: it re-opens exactly once and never closes, whichever result lands first.
 */
public final class HalfOpenVerdictTest {
    private HalfOpenVerdictTest() {
    }

    private static Fixtures.CountedBreaker halfOpen(String name) {
        Fixtures.CountedBreaker subject = new Fixtures.CountedBreaker(
                CircuitBreaker.builder(name).halfOpenMaxProbes(2).successThreshold(2));
        subject.toHalfOpen();
        return subject;
    }

    /** Closes, re-opens, and 1 if the breaker ended in {@code expected}. */
    private static void judge(Fixtures.CountedBreaker subject, CircuitBreaker.State expected, III_Result result) {
        result.r1 = subject.transitions(CircuitBreaker.State.HALF_OPEN, CircuitBreaker.State.CLOSED);
        result.r2 = subject.transitions(CircuitBreaker.State.HALF_OPEN, CircuitBreaker.State.OPEN);
        result.r3 = subject.breaker.state() == expected ? 1 : 0;
    }

    @JCStressTest
    @Description("Two successful probes at once close the circuit exactly once")
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "one HALF_OPEN -> CLOSED, state CLOSED")
    @Outcome(expect = FORBIDDEN, desc = "no close, a double close, a re-open, or another state")
    @State
    public static class Close {
        private final Fixtures.CountedBreaker subject = halfOpen("half-open-close");

        @Actor
        public void probe1() {
            subject.succeed();
        }

        @Actor
        public void probe2() {
            subject.succeed();
        }

        @Arbiter
        public void arbiter(III_Result result) {
            judge(subject, CircuitBreaker.State.CLOSED, result);
        }
    }

    @JCStressTest
    @Description("A failed probe racing a successful one re-opens the circuit exactly once and never closes it")
    @Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "one HALF_OPEN -> OPEN, state OPEN")
    @Outcome(expect = FORBIDDEN, desc = "a close, a double re-open, or another state")
    @State
    public static class Reopen {
        private final Fixtures.CountedBreaker subject = halfOpen("half-open-reopen");

        @Actor
        public void succeeds() {
            subject.succeed();
        }

        @Actor
        public void fails() {
            subject.fail();
        }

        @Arbiter
        public void arbiter(III_Result result) {
            judge(subject, CircuitBreaker.State.OPEN, result);
        }
    }
}
