package dev.bulwark.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.Pipeline;
import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.bulkhead.BulkheadFullException;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.ratelimit.RateLimiter;
import dev.bulwark.retry.Backoff;
import dev.bulwark.retry.Retry;
import dev.bulwark.time.ManualClock;
import dev.bulwark.timeout.Timeout;
import dev.bulwark.timeout.TimeoutExceededException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Policies composed in pipelines: each sees what it should, and nothing is left running afterwards. */
class PolicyCombinationsTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void aFullBulkheadInsideARetryIsNotRetried() {
        Bulkhead bulkhead = Bulkhead.builder("db", 1).clockAndScheduler(clock).build();
        Retry retry = Retry.builder("db").clockAndScheduler(clock).build();
        bulkhead.executeAsync(CompletableFuture::new);

        assertThatThrownBy(() -> Pipeline.of(retry, bulkhead).execute(() -> "x")).isInstanceOf(BulkheadFullException.class);

        assertThat(retry.stats().retries()).isZero();
        assertThat(bulkhead.rejectedCalls()).isEqualTo(1);
    }

    @Test
    void aRetryInsideARateLimiterAndBreakerTakesOneTokenAndCountsOnce() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.builder("api").clock(clock).build();
        RateLimiter limiter = RateLimiter.builder("api", 1).burst(1).clockAndScheduler(clock).build();
        Retry retry = Retry.builder("api").backoff(Backoff.fixed(Duration.ofSeconds(1))).clockAndScheduler(clock).build();
        AtomicInteger attempts = new AtomicInteger();

        String result = Pipeline.of(breaker, limiter, retry).execute(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IOException("flaky");
            }
            return "ok";
        });

        assertThat(result).isEqualTo("ok");
        assertThat(limiter.permittedCalls()).isEqualTo(1);
        assertThat(breaker.stats().totalCalls()).isEqualTo(1);
        assertThat(breaker.stats().failedCalls()).isZero();
    }

    @Test
    void asyncTimeoutsAndRetriesLeaveNoScheduledTaskBehind() {
        Timeout timeout = Timeout.builder("svc", Duration.ofSeconds(1)).clockAndScheduler(clock).build();
        Retry retry = Retry.builder("svc").maxRetries(1).backoff(Backoff.fixed(Duration.ofMillis(100)))
                .clockAndScheduler(clock).build();
        Pipeline pipeline = Pipeline.of(retry, timeout);
        List<CompletableFuture<String>> attempts = new ArrayList<>();
        List<CompletionStage<String>> calls = new ArrayList<>();

        for (int i = 0; i < 100; i++) {
            calls.add(pipeline.executeAsync(() -> {
                CompletableFuture<String> attempt = new CompletableFuture<>();
                attempts.add(attempt);
                return attempt;
            }));
        }
        for (int i = 0; i < 50; i++) {
            attempts.get(i).complete("fast");
        }
        clock.advance(Duration.ofSeconds(5));

        assertThat(calls).allSatisfy(call -> assertThat(call.toCompletableFuture()).isDone());
        long timedOut = calls.stream().filter(call -> call.toCompletableFuture().isCompletedExceptionally()).count();
        assertThat(timedOut).isEqualTo(50);
        assertThat(attempts).filteredOn(CompletableFuture::isCancelled).hasSize(100);
        assertThat(clock.pendingTasks()).as("no alarm or retry left scheduled").isZero();
    }

    @Test
    void syncTimeoutsInterruptAbandonedWorkSoNoThreadStaysBusy() throws Exception {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(4, 4, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
        ExecutorService callers = Executors.newSingleThreadExecutor();
        try {
            Timeout timeout = Timeout.builder("svc", Duration.ofSeconds(1)).executor(executor).clockAndScheduler(clock).build();
            AtomicInteger interrupted = new AtomicInteger();
            for (int i = 0; i < 20; i++) {
                CountDownLatch started = new CountDownLatch(1);
                Future<Throwable> caller = callers.submit(() -> {
                    try {
                        timeout.execute(() -> {
                            started.countDown();
                            try {
                                new CountDownLatch(1).await(); // hangs until the timeout interrupts it
                            } catch (InterruptedException expected) {
                                interrupted.incrementAndGet();
                            }
                            return "late";
                        });
                        return null;
                    } catch (Throwable thrown) {
                        return thrown;
                    }
                });
                assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
                clock.advance(Duration.ofSeconds(1));
                assertThat(caller.get(10, TimeUnit.SECONDS)).isInstanceOf(TimeoutExceededException.class);
            }
            executor.shutdown();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).as("every abandoned task ended").isTrue();
            assertThat(interrupted).hasValue(20);
            assertThat(executor.getCompletedTaskCount()).isEqualTo(20);
        } finally {
            executor.shutdownNow();
            callers.shutdownNow();
        }
    }
}
