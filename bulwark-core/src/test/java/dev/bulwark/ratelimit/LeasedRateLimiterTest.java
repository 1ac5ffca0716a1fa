package dev.bulwark.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.time.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A limiter fast enough that threads take their tokens from per-thread leases: one thread gets exactly what the
 * exact schedule allows at every reading, many threads never get more than the rate and lose at most the leased
 * share of it, and every granted call is counted once.
 */
class LeasedRateLimiterTest {
    /** A token every 10 ns: 100,000 a millisecond, far past the rate at which leases start. */
    private static final double RATE = 1e8;
    private static final long INTERVAL_NANOS = 10;
    private static final int BURST = 100_000;

    private final ManualClock clock = new ManualClock();

    private RateLimiter limiter() {
        return limiter(BURST);
    }

    /** A limiter whose calls use leases from the start, as they do once two callers have collided. */
    private RateLimiter limiter(int burst) {
        RateLimiter limiter = RateLimiter.builder("leased", RATE).burst(burst).clockAndScheduler(clock).build();
        assertThat(((TokenBucket) limiter).leaseFromNowOn()).as("leases at %s/s", RATE).isTrue();
        return limiter;
    }

    @Test
    void aSlowLimiterNeverLeases() {
        RateLimiter limiter = RateLimiter.builder("slow", 1_000).clockAndScheduler(clock).build();

        assertThat(((TokenBucket) limiter).leaseFromNowOn()).isFalse();
    }

    @Test
    void oneThreadGetsExactlyWhatTheScheduleAllowsAtEveryReading() {
        RateLimiter limiter = limiter();
        ExactSchedule exact = new ExactSchedule(clock.nanoTime());
        SplittableRandom random = new SplittableRandom(23);
        long granted = 0;
        long asked = 0;
        for (int reading = 0; reading < 2_000; reading++) {
            int calls = random.nextInt(1, 400);
            for (int call = 0; call < calls; call++) {
                int permits = random.nextInt(10) == 0 ? random.nextInt(2, 40) : 1;
                boolean expected = exact.tryTake(clock.nanoTime(), permits);
                assertThat(limiter.tryAcquire(permits)).as("reading %d, call %d of %d permits", reading, call, permits)
                        .isEqualTo(expected);
                asked++;
                granted += expected ? 1 : 0;
            }
            // now and then a pause long enough to fill the bucket again
            clock.advanceNanos(reading % 500 == 499 ? 2 * INTERVAL_NANOS * BURST : random.nextInt(1, 4_000));
        }

        assertThat(granted).as("some calls refused, so the bucket ran dry").isLessThan(asked);
        assertThat(limiter.permittedCalls()).isEqualTo(granted);
        assertThat(limiter.rejectedCalls()).isEqualTo(asked - granted);
    }

    @Test
    void tokensLeftInALeaseAreNotUsedOnceTheClockHasMovedOn() throws Exception {
        RateLimiter limiter = limiter();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            // the second call at one reading leases a token more than it needs, and that thread then stops calling
            assertThat(other.submit(() -> limiter.tryAcquire() && limiter.tryAcquire()).get(5, TimeUnit.SECONDS))
                    .isTrue();
            clock.advanceNanos(2 * INTERVAL_NANOS * BURST);

            long granted = 0;
            while (limiter.tryAcquire()) {
                granted++;
            }
            granted += other.submit(() -> limiter.tryAcquire() ? 1 : 0).get(5, TimeUnit.SECONDS);

            // the bucket filled again while the lease sat idle: the two threads share exactly one burst
            assertThat(granted).isEqualTo(BURST);
            assertThat(limiter.permittedCalls()).isEqualTo(BURST + 2L);
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void racingThreadsAtOneReadingGetNoMoreThanTheBurstAndNearlyAllOfIt() throws Exception {
        RateLimiter limiter = limiter();
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long grantedCalls = 0;
        long grantedTokens = 0;
        try {
            List<Future<long[]>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int permits = t % 2 == 0 ? 1 : 3;
                workers.add(pool.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    long calls = 0;
                    for (int i = 0; i < 40_000; i++) {
                        calls += limiter.tryAcquire(permits) ? 1 : 0;
                    }
                    return new long[] {calls, calls * permits};
                }));
            }
            for (Future<long[]> worker : workers) {
                long[] granted = worker.get(60, TimeUnit.SECONDS);
                grantedCalls += granted[0];
                grantedTokens += granted[1];
            }
        } finally {
            pool.shutdownNow();
        }

        // leases hold at most a sixteenth of the burst, and only a thread that stopped calling leaves one unused
        assertThat(grantedTokens).isBetween(BURST - BURST / 16L - 2, (long) BURST);
        assertThat(limiter.permittedCalls()).isEqualTo(grantedCalls);
        assertThat(limiter.rejectedCalls()).isEqualTo(threads * 40_000L - grantedCalls);
    }

    @Test
    void racingThreadsWhileTheClockMovesNeverGetMoreThanTheRate() throws Exception {
        // a small bucket (still enough for leases) that the threads keep dry, so the rate is what holds them back
        int burst = 4_096;
        RateLimiter limiter = limiter(burst);
        int threads = 6;
        long start = clock.nanoTime();
        CountDownLatch ready = new CountDownLatch(threads);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long grantedCalls = 0;
        long elapsed;
        try {
            List<Future<Long>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    ready.countDown();
                    long calls = 0;
                    while (!stop.get()) {
                        calls += limiter.tryAcquire() ? 1 : 0;
                    }
                    return calls;
                }));
            }
            assertThat(ready.await(5, TimeUnit.SECONDS)).isTrue();
            for (int step = 0; step < 20_000; step++) {
                clock.advanceNanos(1 + step % 97);
            }
            elapsed = clock.nanoTime() - start;
            stop.set(true);
            for (Future<Long> worker : workers) {
                grantedCalls += worker.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(grantedCalls).isLessThanOrEqualTo(burst + elapsed / INTERVAL_NANOS);
        assertThat(limiter.permittedCalls()).isEqualTo(grantedCalls);
    }

    /** The generic cell rate algorithm with no leases, as the reference a single caller must match. */
    private static final class ExactSchedule {
        private long emptyAt;

        ExactSchedule(long now) {
            emptyAt = now;
        }

        boolean tryTake(long now, int permits) {
            long base = emptyAt - now < 0 ? now : emptyAt;
            long next = base + permits * INTERVAL_NANOS;
            if (next - now > INTERVAL_NANOS * BURST) {
                return false;
            }
            emptyAt = next;
            return true;
        }
    }
}
