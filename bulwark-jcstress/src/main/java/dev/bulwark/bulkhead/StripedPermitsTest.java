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
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A fixed limit's striped permits ({@link StripedPermits}, behind every {@code Bulkhead} whose limit is large enough):
 * taking and returning permits races the cells closing (the switch to the central count) and spreading again, and
 * still no permit is created or lost, none is refused while one is free, and no waiter is left behind a free permit.
 * Each arbiter counts the free permits by taking them all.
 */
public final class StripedPermitsTest {
    private StripedPermitsTest() {
    }

    /** Takes permits until refused; returns how many it got. */
    static int takeAll(Permits permits) {
        int taken = 0;
        while (permits.tryAcquire()) {
            taken++;
        }
        return taken;
    }

    @JCStressTest
    @Description("Limit 4 over 2 cells, one held; its return races the cells closing: the permit is back either way")
    @Outcome(id = "0, 4", expect = ACCEPTABLE, desc = "returned to a cell or to the central count, all four free")
    @Outcome(expect = FORBIDDEN, desc = "a permit lost or created")
    @State
    public static class ReturnRacesClose {
        private final StripedPermits permits = new StripedPermits(4, Integer.MAX_VALUE, 2);

        public ReturnRacesClose() {
            if (!permits.tryAcquire()) {
                throw new AssertionError("a permit must be free");
            }
        }

        @Actor
        public void holderReturns() {
            permits.release();
        }

        @Actor
        public void cellsClose() {
            permits.centralize();
        }

        @Arbiter
        public void arbiter(II_Result result) {
            result.r1 = permits.inFlight();
            result.r2 = takeAll(permits);
        }
    }

    @JCStressTest
    @Description("Limit 4 over 2 cells, three held, so one cell has the last permit; a call races the cells closing")
    @Outcome(id = "1, 4, 0", expect = ACCEPTABLE, desc = "the last permit granted, from its cell or centrally")
    @Outcome(id = "0, .*", expect = FORBIDDEN, desc = "refused while a permit was free")
    @Outcome(expect = FORBIDDEN, desc = "a permit lost or created")
    @State
    public static class TakeRacesClose {
        private final StripedPermits permits = new StripedPermits(4, Integer.MAX_VALUE, 2);

        public TakeRacesClose() {
            for (int i = 0; i < 3; i++) {
                if (!permits.tryAcquire()) {
                    throw new AssertionError("three permits must be free");
                }
            }
        }

        @Actor
        public void caller(III_Result result) {
            result.r1 = permits.tryAcquire() ? 1 : 0;
        }

        @Actor
        public void cellsClose() {
            permits.centralize();
        }

        @Arbiter
        public void arbiter(III_Result result) {
            result.r2 = permits.inFlight();
            result.r3 = takeAll(permits);
        }
    }

    @JCStressTest
    @Description("Limit 4 over 2 cells, three held; two callers race for the last permit: exactly one gets it")
    @Outcome(id = {"1, 0, 4", "0, 1, 4"}, expect = ACCEPTABLE, desc = "one granted, the other refused at the limit")
    @Outcome(expect = FORBIDDEN, desc = "both granted (over the limit), none granted (a free permit refused), or the count wrong")
    @State
    public static class TwoCallersOneFreePermit {
        private final StripedPermits permits = new StripedPermits(4, Integer.MAX_VALUE, 2);

        public TwoCallersOneFreePermit() {
            for (int i = 0; i < 3; i++) {
                if (!permits.tryAcquire()) {
                    throw new AssertionError("three permits must be free");
                }
            }
        }

        @Actor
        public void first(III_Result result) {
            result.r1 = permits.tryAcquire() ? 1 : 0;
        }

        @Actor
        public void second(III_Result result) {
            result.r2 = permits.tryAcquire() ? 1 : 0;
        }

        @Arbiter
        public void arbiter(III_Result result) {
            result.r3 = permits.inFlight();
        }
    }

    @JCStressTest
    @Description("Limit 4 over 2 cells, all held and central; two returns (the second spreads the cells again) race "
            + "a caller who queues: it is served either way")
    @Outcome(id = "1, 3, 1", expect = ACCEPTABLE, desc = "the caller holds a permit, the other free one is back")
    @Outcome(id = "0, .*", expect = FORBIDDEN, desc = "the caller left waiting (or refused) while permits were free")
    @Outcome(expect = FORBIDDEN, desc = "a permit lost or created")
    @State
    public static class SpreadRacesWaiter {
        private final ManualClock clock = new ManualClock();
        private final StripedPermits permits = new StripedPermits(4, Integer.MAX_VALUE, 2);
        private CompletableFuture<Boolean> waiter = CompletableFuture.completedFuture(false);

        public SpreadRacesWaiter() {
            if (takeAll(permits) != 4 || permits.striped()) {
                throw new AssertionError("all four permits must be taken and the cells closed");
            }
        }

        @Actor
        public void twoReturn() {
            permits.release();
            permits.release();
        }

        @Actor
        public void callerWaits() {
            waiter = permits.acquire(Duration.ofSeconds(1), clock);
        }

        @Arbiter
        public void arbiter(III_Result result) {
            result.r1 = Boolean.TRUE.equals(waiter.getNow(false)) ? 1 : 0;
            result.r2 = permits.inFlight();
            result.r3 = takeAll(permits);
        }
    }
}
