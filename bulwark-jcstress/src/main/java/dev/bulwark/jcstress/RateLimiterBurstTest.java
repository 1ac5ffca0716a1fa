package dev.bulwark.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.bulwark.ratelimit.RateLimiter;
import dev.bulwark.time.ManualClock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.ZZ_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The token bucket's compare-and-set reservation: with the clock stopped (no refill), racing callers never get
 * more than the burst, and never fewer while tokens are left; the permitted count, added by each reservation's
 * winner next to the schedule, loses no call.
 */
public final class RateLimiterBurstTest {
    private RateLimiterBurstTest() {
    }

    private static RateLimiter fullBucketOf(int burst) {
        Fixtures.quietLogs();
        return RateLimiter.builder("burst", 1.0).burst(burst).clockAndScheduler(new ManualClock()).build();
    }

    @JCStressTest
    @Description("A full bucket of 3 and two callers asking for two single tokens each: exactly three are granted")
    @Outcome(id = {"1, 2", "2, 1"}, expect = ACCEPTABLE, desc = "exactly the burst granted")
    @Outcome(expect = FORBIDDEN, desc = "more than the burst granted, or a free token refused")
    @State
    public static class SingleTokens {
        private final RateLimiter limiter = fullBucketOf(3);

        private int twoAttempts() {
            return (limiter.tryAcquire() ? 1 : 0) + (limiter.tryAcquire() ? 1 : 0);
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

    @JCStressTest
    @Description("A full bucket of 2: a caller taking both tokens races a caller taking one; exactly one of them wins")
    @Outcome(id = {"true, false", "false, true"}, expect = ACCEPTABLE, desc = "one of the two, never both")
    @Outcome(id = "true, true", expect = FORBIDDEN, desc = "3 tokens out of a bucket of 2")
    @Outcome(id = "false, false", expect = FORBIDDEN, desc = "both refused with the bucket full")
    @State
    public static class BatchAndSingle {
        private final RateLimiter limiter = fullBucketOf(2);

        @Actor
        public void both(ZZ_Result result) {
            result.r1 = limiter.tryAcquire(2);
        }

        @Actor
        public void one(ZZ_Result result) {
            result.r2 = limiter.tryAcquire(1);
        }
    }

    @JCStressTest
    @Description("A full bucket of 3 and two callers asking for two single tokens each: the permitted count holds "
            + "every granted call")
    @Outcome(id = {"1, 2, 3", "2, 1, 3"}, expect = ACCEPTABLE, desc = "three granted, three counted")
    @Outcome(expect = FORBIDDEN, desc = "a granted call not counted, or counted twice")
    @State
    public static class PermittedCount {
        private final RateLimiter limiter = fullBucketOf(3);

        private int twoAttempts() {
            return (limiter.tryAcquire() ? 1 : 0) + (limiter.tryAcquire() ? 1 : 0);
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
        public void counted(III_Result result) {
            result.r3 = (int) limiter.permittedCalls();
        }
    }
}
