package dev.bulwark.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.time.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many threads taking tokens of one bucket at once, with the clock stopped: the bucket grants exactly its burst,
 * and its counts, read after the threads are joined, hold every granted and refused call exactly once.
 */
class RateLimiterCountsStressTest {
    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 40_000;
    private static final int BURST = 200_000;

    @Test
    void concurrentCallsAreCountedExactlyAndNeverBeyondTheBurst() throws Exception {
        RateLimiter limiter = RateLimiter.builder("stress", 1.0).burst(BURST).clockAndScheduler(new ManualClock())
                .build();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long grantedCalls = 0;
        long grantedTokens = 0;
        try {
            List<Future<long[]>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int tokensPerCall = t % 2 == 0 ? 1 : 3;
                workers.add(pool.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    long calls = 0;
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        if (limiter.tryAcquire(tokensPerCall)) {
                            calls++;
                        }
                    }
                    return new long[] {calls, calls * tokensPerCall};
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

        // 4 threads x 40,000 x 1 + 4 x 40,000 x 3 = 640,000 tokens asked of 200,000: at most 2 tokens go unused
        assertThat(grantedTokens).isBetween((long) BURST - 2, (long) BURST);
        assertThat(limiter.permittedCalls()).isEqualTo(grantedCalls);
        assertThat(limiter.rejectedCalls()).isEqualTo((long) THREADS * CALLS_PER_THREAD - grantedCalls);
    }
}
