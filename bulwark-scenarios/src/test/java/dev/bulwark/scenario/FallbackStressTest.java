package dev.bulwark.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.Pipeline;
import dev.bulwark.fallback.Fallback;
import dev.bulwark.fallback.FallbackResult;
import dev.bulwark.fallback.LoadShedder;
import dev.bulwark.fallback.LoadShedder.Priority;
import dev.bulwark.queue.DeferredQueue;
import dev.bulwark.queue.QueueForLater;
import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Many threads through one fallback over a load shedder, synchronously and asynchronously: nothing counted twice or
 * lost, every queued call in the queue, every admitted call's slot given back.
 */
class FallbackStressTest {

    private static final ExecutionContext.Key<String> PROVIDER = ExecutionContext.Key.of("provider", String.class);
    private static final ExecutionContext.Key<String> ID = ExecutionContext.Key.of("id", String.class);

    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 3_000;

    @Test
    void everyExecutionEndsOnceAndEveryQueuedCallIsInTheQueue() throws Exception {
        LoadShedder shedder = LoadShedder.of("stress", 6);
        DeferredQueue<String> queue = DeferredQueue.inMemory("stress", THREADS * CALLS_PER_THREAD);
        Fallback<String> policy = Fallback.<String>builder("stress").switchProvider(PROVIDER, "model-b")
                .add(QueueForLater.into(queue, ctx -> ctx.get(ID).orElseThrow())).build();
        Pipeline inner = Pipeline.of(shedder);
        AtomicLong sequence = new AtomicLong();
        ContextualSupplier<String> call = ctx -> {
            long n = sequence.incrementAndGet();
            boolean alternative = ctx.get(PROVIDER).isPresent();
            if (n % (alternative ? 2 : 3) == 0) {
                throw new IOException("down");
            }
            return "ok";
        };
        ExecutorService async = Executors.newFixedThreadPool(2);
        AsyncSupplier<String> asyncCall = ctx -> CompletableFuture.supplyAsync(() -> {
            try {
                return call.get(ctx);
            } catch (Exception failure) {
                throw new java.util.concurrent.CompletionException(failure);
            }
        }, async);
        Map<FallbackResult.Outcome, LongAdder> seen = new ConcurrentHashMap<>();
        for (FallbackResult.Outcome outcome : FallbackResult.Outcome.values()) {
            seen.put(outcome, new LongAdder());
        }
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService callers = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(callers.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        ExecutionContext context = ExecutionContext.detached().with(ID, thread + "-" + i)
                                .with(Priority.KEY, Priority.values()[i % Priority.values().length]);
                        FallbackResult<String> result = thread % 2 == 0
                                ? policy.executeForResult(context, ctx -> inner.execute(ctx, call))
                                : policy.executeForResultAsync(context, ctx -> inner.executeAsync(ctx, asyncCall))
                                        .toCompletableFuture().get(10, TimeUnit.SECONDS);
                        seen.get(result.outcome()).increment();
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
            async.shutdownNow();
        }

        Map<FallbackResult.Outcome, Long> counted = new EnumMap<>(FallbackResult.Outcome.class);
        Map<FallbackResult.Outcome, Long> observed = new EnumMap<>(FallbackResult.Outcome.class);
        for (FallbackResult.Outcome outcome : FallbackResult.Outcome.values()) {
            counted.put(outcome, policy.count(outcome));
            observed.put(outcome, seen.get(outcome).sum());
        }
        assertThat(counted).isEqualTo(observed);
        assertThat(counted.values().stream().mapToLong(Long::longValue).sum()).isEqualTo((long) THREADS * CALLS_PER_THREAD);
        assertThat(counted).containsOnlyKeys(FallbackResult.Outcome.values());
        assertThat(counted.get(FallbackResult.Outcome.FAILED)).as("QUEUE_REQUEST always has room").isZero();
        assertThat((long) queue.size()).isEqualTo(counted.get(FallbackResult.Outcome.QUEUED));
        assertThat(shedder.inFlight()).as("every admitted call gave its slot back").isZero();
        assertThat(counted.get(FallbackResult.Outcome.SERVED)).isPositive();
        assertThat(counted.get(FallbackResult.Outcome.SWITCHED)).isPositive();
        assertThat(counted.get(FallbackResult.Outcome.QUEUED)).isPositive();
    }
}
