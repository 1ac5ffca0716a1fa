package dev.bulwark.retry;

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

/** Many threads through one retry at once: after they are joined, every call is in the stats exactly once. */
class RetryCountsStressTest {
    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 50_000;
    /** Every this many calls, one throws an exception the retry does not retry. */
    private static final int FAILURE_EVERY = 10;

    @Test
    void concurrentCallsAreAllCountedOnceAfterTheThreadsAreJoined() throws Exception {
        Retry retry = Retry.builder("stress").retryOn(error -> !(error instanceof IllegalStateException))
                .clockAndScheduler(new ManualClock()).build();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        boolean fails = i % FAILURE_EVERY == 0;
                        try {
                            retry.execute(() -> {
                                if (fails) {
                                    throw new IllegalStateException("not retried");
                                }
                                return "ok";
                            });
                        } catch (IllegalStateException expected) {
                            // counted as failedNotRetryable
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        long calls = (long) THREADS * CALLS_PER_THREAD;
        long failures = (long) THREADS * (CALLS_PER_THREAD / FAILURE_EVERY);
        Retry.Stats stats = retry.stats();
        assertThat(stats.calls()).isEqualTo(calls);
        assertThat(stats.failedNotRetryable()).isEqualTo(failures);
        assertThat(stats.succeededWithoutRetry()).isEqualTo(calls - failures);
        assertThat(stats.retries()).isZero();
    }
}
