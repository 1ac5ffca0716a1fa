package dev.bulwark.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.bulwark.circuit.CircuitBreaker;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The closed breaker's windows under racing calls: no call and no failure is lost or counted twice while
 * the window moves on (the count window's ring drops its oldest entry, the time window's buckets rotate by
 * compare-and-set). Both breakers judge nothing here (thresholds off or out of reach), so the calls are only counted.
 */
public final class WindowCountsTest {
    private WindowCountsTest() {
    }

    private static void counts(CircuitBreaker breaker, II_Result result) {
        CircuitBreaker.Stats stats = breaker.stats();
        result.r1 = stats.windowCalls();
        result.r2 = stats.windowFailures();
    }

    @JCStressTest
    @Description("A full 4-call window: two racing callers make three calls that push out three old ones, the window holds exactly the last 4")
    @Outcome(id = "4, 2", expect = ACCEPTABLE, desc = "4 calls, the 2 new failures; the old failure has left")
    @Outcome(expect = FORBIDDEN, desc = "a call or failure lost, counted twice, or kept too long")
    @State
    public static class CountWindow {
        private final Fixtures.CountedBreaker subject = new Fixtures.CountedBreaker(CircuitBreaker.builder("count-window")
                .countWindow(4).minimumNumberOfCalls(4).failureRateThreshold(100).consecutiveFailureThreshold(0));

        public CountWindow() {
            subject.fail(); // the oldest call: a failure that the next three calls push out
            subject.succeed();
            subject.succeed();
            subject.succeed();
        }

        @Actor
        public void failureThenSuccess() {
            subject.fail();
            subject.succeed();
        }

        @Actor
        public void failure() {
            subject.fail();
        }

        @Arbiter
        public void arbiter(II_Result result) {
            counts(subject.breaker, result);
        }
    }

    @JCStressTest
    @Description("A 1-second window at a second boundary: two callers race to rotate its bucket, no call is lost")
    @Outcome(id = "3, 1", expect = ACCEPTABLE, desc = "the 3 calls of the new second, its 1 failure")
    @Outcome(expect = FORBIDDEN, desc = "a call lost or counted twice across the rotation, or the old second kept")
    @State
    public static class TimeWindow {
        private final Fixtures.CountedBreaker subject = new Fixtures.CountedBreaker(CircuitBreaker.builder("time-window")
                .timeWindow(1).minimumNumberOfCalls(1_000).consecutiveFailureThreshold(0));

        public TimeWindow() {
            subject.fail(); // the previous second: out of the window once the clock moves on
            subject.succeed();
            subject.clock.advance(Duration.ofSeconds(1));
        }

        @Actor
        public void successes() {
            subject.succeed();
            subject.succeed();
        }

        @Actor
        public void failure() {
            subject.fail();
        }

        @Arbiter
        public void arbiter(II_Result result) {
            counts(subject.breaker, result);
        }
    }
}
