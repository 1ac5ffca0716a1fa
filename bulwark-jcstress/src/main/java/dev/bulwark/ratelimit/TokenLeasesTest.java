package dev.bulwark.ratelimit;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.bulwark.time.ManualClock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A fast bucket's per-thread leases ({@link TokenLeases}): callers racing for the last tokens, leases reserved, used,
 * left behind when the clock moves on and given back, never get more tokens than the schedule holds, and the
 * permitted count holds every granted call once. What leases may cost is a token left in a lease nobody uses again.
 */
public final class TokenLeasesTest {
    /** A token every 10 ns: fast enough for leases on any machine with up to 64 stripes. */
    private static final double RATE = 1e8;
    private static final int BURST = 4_096;

    private TokenLeasesTest() {
    }

    /** A bucket using leases from the start, with {@code left} tokens left in it at the clock's reading. */
    static TokenBucket bucketWith(ManualClock clock, int left) {
        TokenBucket bucket = (TokenBucket) RateLimiter.builder("leases", RATE).burst(BURST).clockAndScheduler(clock)
                .build();
        if (!bucket.leaseFromNowOn() || !bucket.tryAcquire(BURST - left)) {
            throw new AssertionError("a full bucket of " + BURST + " with leases");
        }
        return bucket;
    }

    /** Takes single tokens until refused; returns how many it got. */
    static int takeAll(RateLimiter limiter) {
        int taken = 0;
        while (limiter.tryAcquire()) {
            taken++;
        }
        return taken;
    }

    @JCStressTest
    @Description("3 tokens left; two callers take two single tokens each, each second call leasing a token ahead")
    @Outcome(id = "3, 1", expect = ACCEPTABLE, desc = "every token granted, or left for the next caller")
    @Outcome(id = "2, 1", expect = ACCEPTABLE_INTERESTING, desc = "a token leased ahead to a caller that stopped")
    @Outcome(expect = FORBIDDEN, desc = "more tokens than the bucket held, or a granted call not counted once")
    @State
    public static class LastTokens {
        private final ManualClock clock = new ManualClock();
        private final TokenBucket bucket = bucketWith(clock, 3);
        private int first;
        private int second;

        private int twoAttempts() {
            return (bucket.tryAcquire() ? 1 : 0) + (bucket.tryAcquire() ? 1 : 0);
        }

        @Actor
        public void first() {
            first = twoAttempts();
        }

        @Actor
        public void second() {
            second = twoAttempts();
        }

        @Arbiter
        public void tally(II_Result result) {
            int drained = takeAll(bucket);
            int calls = first + second + drained;
            result.r1 = calls;
            result.r2 = bucket.permittedCalls() == 1 + calls ? 1 : 0;
        }
    }

    @JCStressTest
    @Description("4 tokens left; one caller leases a token ahead, moves the clock on by one token and calls again, "
            + "giving the stale lease back, while another takes two tokens at once")
    @Outcome(id = "5, 1", expect = ACCEPTABLE, desc = "the 4 tokens and the new one, granted or left for later")
    @Outcome(id = "4, 1", expect = ACCEPTABLE_INTERESTING,
            desc = "the stale lease's token lost: a reservation came after the lease, so it could not go back")
    @Outcome(expect = FORBIDDEN, desc = "more tokens than the schedule allowed, or a granted call not counted once")
    @State
    public static class StaleLeaseGivenBack {
        private final ManualClock clock = new ManualClock();
        private final TokenBucket bucket = bucketWith(clock, 4);
        private int leaserTokens;
        private int batchTokens;

        @Actor
        public void leaser() {
            int tokens = (bucket.tryAcquire() ? 1 : 0) + (bucket.tryAcquire() ? 1 : 0);
            clock.advanceNanos(10);
            leaserTokens = tokens + (bucket.tryAcquire() ? 1 : 0);
        }

        @Actor
        public void batch() {
            batchTokens = bucket.tryAcquire(2) ? 2 : 0;
        }

        @Arbiter
        public void tally(II_Result result) {
            int drained = takeAll(bucket);
            result.r1 = leaserTokens + batchTokens + drained;
            long calls = 1 + leaserTokens + batchTokens / 2 + drained;
            result.r2 = bucket.permittedCalls() == calls ? 1 : 0;
        }
    }
}
