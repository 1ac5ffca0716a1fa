package dev.bulwark.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.fanout.FanOutResult.AdapterResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many threads send requests through one fan-out whose adapters answer at once or later on another thread; then
 * shutdown. Invariant: every request answers with every adapter succeeded, nothing is left running, and shutdown
 * (which counts admitted requests and tracks only running calls) waits for all of it and cancels nothing.
 */
class FanOutStressTest {

    @Test
    void concurrentRequestsAllAnswerAndShutdownFindsNothingRunning() throws Exception {
        int threads = 8;
        int perThread = 2_000;
        ExecutorService later = Executors.newFixedThreadPool(2);
        AtomicInteger calls = new AtomicInteger();
        FanOut<Integer, Integer> fanOut = FanOut.<Integer, Integer>builder("stress")
                .adapter(Adapter.async("now", (request, context) -> {
                    calls.incrementAndGet();
                    return CompletableFuture.completedFuture(request);
                }))
                .adapter(Adapter.async("later", (request, context) -> {
                    calls.incrementAndGet();
                    return CompletableFuture.supplyAsync(() -> request, later);
                }))
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        try {
            List<Future<Integer>> answered = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                answered.add(pool.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    int ok = 0;
                    for (int i = 0; i < perThread; i++) {
                        FanOutResult<Integer> result = fanOut.executeAsync(i).toCompletableFuture().get(5, TimeUnit.SECONDS);
                        boolean all = result.results().stream()
                                .allMatch(r -> r.status() == AdapterResult.Status.SUCCEEDED);
                        ok += all ? 1 : 0;
                    }
                    return ok;
                }));
            }
            int total = 0;
            for (Future<Integer> thread : answered) {
                total += thread.get(60, TimeUnit.SECONDS);
            }

            assertThat(total).isEqualTo(threads * perThread);
            assertThat(calls.get()).isEqualTo(2 * threads * perThread);
            CountDownLatch down = new CountDownLatch(1);
            AtomicInteger cancelled = new AtomicInteger(-1);
            fanOut.shutdown().whenComplete((count, error) -> {
                cancelled.set(count);
                down.countDown();
            });
            assertThat(down.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(cancelled.get()).isZero();
            assertThat(fanOut.inFlight()).isZero();
        } finally {
            pool.shutdownNow();
            later.shutdownNow();
        }
    }
}
