package dev.bulwark.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.Pipeline;
import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.bulkhead.BulkheadFullException;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Outcomes of concurrent calls arrive out of order: a call that hung since before the dependency recovered may
 * fail after calls that started later have succeeded. Such a failure still counts in the window, but it is older
 * news than the success and must not extend the run of consecutive failures.
 */
class ConcurrentOutcomesTest {
    private static final int IN_FLIGHT = 48;
    private final ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
    private final ManualClock clock = new ManualClock();

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private CircuitBreaker consecutiveFive() {
        return CircuitBreaker.builder("backend").clock(clock).trackLatency(true).consecutiveFailureThreshold(5)
                .countWindow(1000).failureRateThreshold(100).minimumNumberOfCalls(1000).build();
    }

    /** Starts an async call through the breaker whose outcome the test decides later. */
    private static CompletableFuture<String> pending(CircuitBreaker breaker, List<CompletableFuture<String>> outcomes) {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        outcomes.add(outcome);
        return breaker.executeAsync(() -> outcome).toCompletableFuture();
    }

    @Test
    void failuresOfCallsThatStartedBeforeTheLatestSuccessDoNotOpenTheCircuit() {
        CircuitBreaker breaker = consecutiveFive();
        List<CompletableFuture<String>> stale = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pending(breaker, stale);
        }
        clock.advance(Duration.ofMillis(10));
        List<CompletableFuture<String>> fresh = new ArrayList<>();
        pending(breaker, fresh);
        clock.advance(Duration.ofMillis(5));
        fresh.get(0).complete("recovered");

        clock.advance(Duration.ofSeconds(1));
        stale.forEach(call -> call.completeExceptionally(new IOException("timed out long ago")));

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.stats().consecutiveFailures()).isZero();
        assertThat(breaker.stats().windowFailures()).as("they still count toward the failure rate").isEqualTo(5);
    }

    @Test
    void failuresOfCallsThatStartedAfterTheLatestSuccessStillOpenIt() {
        CircuitBreaker breaker = consecutiveFive();
        List<CompletableFuture<String>> first = new ArrayList<>();
        pending(breaker, first);
        clock.advance(Duration.ofMillis(5));
        first.get(0).complete("ok");
        clock.advance(Duration.ofMillis(5));
        List<CompletableFuture<String>> later = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pending(breaker, later);
        }
        clock.advance(Duration.ofSeconds(1));
        later.forEach(call -> call.completeExceptionally(new IOException("down")));

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void manyThreadsFinishingStaleFailuresTogetherDoNotOpenIt() throws Exception {
        CircuitBreaker breaker = consecutiveFive();
        List<CompletableFuture<String>> stale = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
            pending(breaker, stale);
        }
        clock.advance(Duration.ofMillis(10));
        List<CompletableFuture<String>> fresh = new ArrayList<>();
        pending(breaker, fresh);
        clock.advance(Duration.ofMillis(5));
        fresh.get(0).complete("recovered");
        clock.advance(Duration.ofSeconds(1));

        CyclicBarrier together = new CyclicBarrier(IN_FLIGHT);
        CountDownLatch done = new CountDownLatch(IN_FLIGHT);
        List<Future<?>> threads = new ArrayList<>();
        for (CompletableFuture<String> call : stale) {
            threads.add(pool.submit(() -> {
                together.await(5, TimeUnit.SECONDS);
                call.completeExceptionally(new IOException("timed out long ago"));
                done.countDown();
                return null;
            }));
        }
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        for (Future<?> thread : threads) {
            thread.get(5, TimeUnit.SECONDS);
        }

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.stats().windowFailures()).isEqualTo(IN_FLIGHT);
    }

    @Test
    void aFullBulkheadInsideTheBreakerIsNoVerdictOnTheDependency() {
        CircuitBreaker breaker = consecutiveFive();
        Bulkhead bulkhead = Bulkhead.builder("backend", 1).clockAndScheduler(clock).build();
        Pipeline pipeline = Pipeline.of(breaker, bulkhead);
        CompletableFuture<String> holding = new CompletableFuture<>();
        pipeline.executeAsync(() -> holding);

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> pipeline.execute(() -> "never runs")).isInstanceOf(BulkheadFullException.class);
        }

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.stats().failedCalls()).isZero();
        assertThat(breaker.stats().ignoredCalls()).isEqualTo(10);
        holding.complete("done");
        assertThat(breaker.stats().successfulCalls()).isEqualTo(1);
    }

    @Test
    void withoutTimingTheRunFollowsCompletionOrderAsBefore() {
        CircuitBreaker breaker = CircuitBreaker.builder("untimed").clock(clock).consecutiveFailureThreshold(5).build();
        List<CompletableFuture<String>> stale = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pending(breaker, stale);
        }
        List<CompletableFuture<String>> fresh = new ArrayList<>();
        pending(breaker, fresh);
        clock.advance(Duration.ofMillis(5));
        fresh.get(0).complete("ok");
        stale.forEach(call -> call.completeExceptionally(new IOException("late")));

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }
}
