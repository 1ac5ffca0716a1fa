package dev.bulwark.bulkhead;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The bulkhead's permits ({@link Permits}, behind every {@code Bulkhead}): no permit is granted beyond the
 * limit, and none is lost or duplicated when a release races a waiter's deadline.
 */
public final class PermitsTest {
    private PermitsTest() {
    }

    @JCStressTest
    @Description("Limit 3, two callers asking for two each: exactly three are granted and counted in flight")
    @Outcome(id = {"1, 2, 3", "2, 1, 3"}, expect = ACCEPTABLE, desc = "exactly the limit granted")
    @Outcome(expect = FORBIDDEN, desc = "over the limit, a free permit refused, or the count wrong")
    @State
    public static class NeverOverLimit {
        private final Permits permits = new Permits(3);

        private int twoAttempts() {
            return (permits.tryAcquire() ? 1 : 0) + (permits.tryAcquire() ? 1 : 0);
        }

        @Actor
        public void first(III_Result result) {
            result.r1 = twoAttempts();
        }

        @Actor
        public void second(III_Result result) {
            result.r2 = twoAttempts();
        }

        @Arbiter
        public void arbiter(III_Result result) {
            result.r3 = permits.inFlight();
        }
    }

    @JCStressTest
    @Description("Limit 1, held; a waiter's deadline fires while the holder releases: the permit goes to the waiter or back to the pool")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "handed over: the waiter holds the one permit")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the waiter gave up first: the permit is back in the pool")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "a permit lost: counted in flight, held by nobody")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "a permit duplicated: held but not counted")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class ReleaseRacesDeadline {
        private final ManualClock clock = new ManualClock();
        private final Permits permits = new Permits(1);
        private final CompletableFuture<Boolean> waiter;

        public ReleaseRacesDeadline() {
            if (!permits.tryAcquire()) {
                throw new AssertionError("the first permit must be free");
            }
            waiter = permits.acquire(Duration.ofSeconds(1), clock);
        }

        @Actor
        public void holderReleases() {
            permits.release();
        }

        @Actor
        public void deadlinePasses() {
            clock.advance(Duration.ofSeconds(1));
        }

        @Arbiter
        public void arbiter(II_Result result) {
            result.r1 = waiter.join() ? 1 : 0;
            result.r2 = permits.inFlight();
        }
    }

    @JCStressTest
    @Description("Limit 1, held, at most one waiter; two callers ask at once: exactly one queues, the other is refused")
    @Outcome(id = {"1, 0, 1", "0, 1, 1"}, expect = ACCEPTABLE, desc = "one waiter queued, the queue full for the other")
    @Outcome(expect = FORBIDDEN, desc = "both queued (over maxWaiting), both refused (a free place lost) or the count wrong")
    @State
    public static class NeverOverMaxWaiting {
        private final ManualClock clock = new ManualClock();
        private final Permits permits = new Permits(1, 1);

        public NeverOverMaxWaiting() {
            if (!permits.tryAcquire()) {
                throw new AssertionError("the first permit must be free");
            }
        }

        private int queued() {
            return Permits.queued(permits.acquire(Duration.ofSeconds(1), clock)) ? 1 : 0;
        }

        @Actor
        public void first(III_Result result) {
            result.r1 = queued();
        }

        @Actor
        public void second(III_Result result) {
            result.r2 = queued();
        }

        @Arbiter
        public void arbiter(III_Result result) {
            result.r3 = permits.waiting();
        }
    }
}
