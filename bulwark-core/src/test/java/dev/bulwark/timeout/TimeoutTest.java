package dev.bulwark.timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.ExecutionContext;
import dev.bulwark.Pipeline;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.retry.Backoff;
import dev.bulwark.retry.Retry;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimeoutTest {

    private final ManualClock clock = new ManualClock();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private Timeout timeout(Duration allowed) {
        return Timeout.builder("search", allowed).executor(executor).clockAndScheduler(clock).build();
    }

    @Test
    void aSlowSyncCallIsCutAtTheTimeoutAndInterrupted() throws Exception {
        Timeout timeout = timeout(Duration.ofSeconds(5));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        ExecutorService callers = Executors.newSingleThreadExecutor();
        try {
            Future<Throwable> caller = callers.submit(() -> {
                try {
                    timeout.execute(() -> {
                        started.countDown();
                        try {
                            new CountDownLatch(1).await(); // blocks until interrupted
                        } catch (InterruptedException e) {
                            interrupted.countDown();
                            throw e;
                        }
                        return "never";
                    });
                    return null;
                } catch (Throwable thrown) {
                    return thrown;
                }
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

            clock.advance(Duration.ofSeconds(5));

            assertThat(caller.get(10, TimeUnit.SECONDS)).isInstanceOf(TimeoutExceededException.class)
                    .hasMessage("timeout 'search' exceeded 5.000 s");
            assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the abandoned work was interrupted").isTrue();
            assertThat(timeout.timedOutCalls()).isEqualTo(1);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aTenSecondCallWithAFiveSecondTimeoutEndsAtFiveSeconds() {
        Timeout timeout = timeout(Duration.ofSeconds(5));
        AtomicLong cutAt = new AtomicLong();
        timeout.subscribe(event -> cutAt.set(clock.nanoTime()));
        long start = clock.nanoTime();

        assertThatThrownBy(() -> timeout.execute(() -> {
            clock.advance(Duration.ofSeconds(10)); // the call "takes" 10 s; the alarm fires on the way
            return "late";
        })).isInstanceOf(TimeoutExceededException.class);

        assertThat(timeout.timedOutCalls()).isEqualTo(1);
        assertThat(cutAt.get() - start).isEqualTo(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void aFastCallReturnsItsValueAndDisarmsTheAlarm() throws Exception {
        Timeout timeout = timeout(Duration.ofSeconds(5));

        assertThat(timeout.execute(() -> "quick")).isEqualTo("quick");

        assertThat(clock.pendingTasks()).isZero();
        assertThatThrownBy(() -> timeout.execute(() -> {
            throw new IOException("own failure");
        })).isInstanceOf(IOException.class).hasMessage("own failure");
    }

    @Test
    void asyncTimeoutCancelsTheStage() {
        Timeout timeout = timeout(Duration.ofSeconds(2));
        CompletableFuture<String> slow = new CompletableFuture<>();

        CompletionStage<String> stage = timeout.executeAsync(() -> slow);
        clock.advance(Duration.ofSeconds(2));

        assertThat(slow).isCancelled();
        assertThat(stage.handle((value, error) -> error).toCompletableFuture().join())
                .isInstanceOf(TimeoutExceededException.class);
    }

    @Test
    void cancellingAnAsyncCallCancelsItsStageAndDisarmsTheAlarm() {
        Timeout timeout = timeout(Duration.ofSeconds(2));
        CompletableFuture<String> slow = new CompletableFuture<>();

        CompletionStage<String> stage = timeout.executeAsync(() -> slow);
        assertThat(clock.pendingTasks()).as("the alarm is armed").isEqualTo(1);
        stage.toCompletableFuture().cancel(true);

        assertThat(slow).isCancelled();
        assertThat(clock.pendingTasks()).as("the alarm is gone").isZero();
        clock.advance(Duration.ofSeconds(3));
        assertThat(timeout.timedOutCalls()).as("a cancelled call never times out").isZero();
    }

    @Test
    void anAsyncCallAnsweringInTimeKeepsItsAnswerAndDisarmsTheAlarm() {
        Timeout timeout = timeout(Duration.ofSeconds(2));
        CompletableFuture<String> answer = new CompletableFuture<>();

        CompletionStage<String> stage = timeout.executeAsync(() -> answer);
        clock.advance(Duration.ofMillis(1_999));
        answer.complete("in time");

        assertThat(stage.toCompletableFuture().join()).isEqualTo("in time");
        assertThat(clock.pendingTasks()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(timeout.timedOutCalls()).isZero();
    }

    @Test
    void setsTheDeadlineInnerPoliciesSeeAndAnEarlierOuterDeadlineWins() throws Exception {
        Timeout timeout = timeout(Duration.ofSeconds(5));
        AtomicLong seen = new AtomicLong();

        timeout.execute(ExecutionContext.start(clock), context -> {
            seen.set(context.remainingNanos(clock.nanoTime()));
            return "x";
        });
        assertThat(seen.get()).isEqualTo(Duration.ofSeconds(5).toNanos());

        ExecutionContext tight = ExecutionContext.start(clock).withDeadline(clock.nanoTime() + Duration.ofSeconds(1).toNanos());
        timeout.execute(tight, context -> {
            seen.set(context.remainingNanos(clock.nanoTime()));
            return "x";
        });
        assertThat(seen.get()).isEqualTo(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void timeoutInsideRetryInsideBreakerCountsEachAttemptOnceAndTheBreakerOnce() {
        CircuitBreaker breaker = CircuitBreaker.builder("svc").clock(clock).build();
        Retry retry = Retry.builder("svc").maxRetries(2).backoff(Backoff.fixed(Duration.ofSeconds(1)))
                .clockAndScheduler(clock).build();
        Timeout timeout = timeout(Duration.ofSeconds(2));
        Pipeline pipeline = Pipeline.of(breaker, retry, timeout);
        AtomicInteger attempts = new AtomicInteger();

        // attempts never answer; one thread moves the clock: 2 s timeout + 1 s backoff, three times
        CompletionStage<String> call = pipeline.executeAsync(() -> {
            attempts.incrementAndGet();
            return new CompletableFuture<>();
        });
        clock.advance(Duration.ofSeconds(8));

        assertThat(call.handle((value, error) -> error).toCompletableFuture().join())
                .isInstanceOf(TimeoutExceededException.class);
        assertThat(attempts).hasValue(3);
        assertThat(timeout.timedOutCalls()).isEqualTo(3);
        assertThat(retry.stats().retries()).isEqualTo(2);
        assertThat(breaker.stats().totalCalls()).isEqualTo(1);
        assertThat(breaker.stats().failedCalls()).isEqualTo(1);
        assertThat(breaker.stats().timedOutCalls()).isEqualTo(1);
    }

    @Test
    void aSyncTimeoutWithoutAnExecutorRunsOnTheSharedDaemonPool() throws Exception {
        Timeout timeout = Timeout.builder("bare", Duration.ofSeconds(1)).clockAndScheduler(clock).build();

        assertThat(timeout.config().executor()).isSameAs(dev.bulwark.internal.SharedExecutor.get());
        assertThat(timeout.execute(() -> Thread.currentThread().getName())).startsWith("bulwark-sync-");
    }

    @Test
    void nonPositiveTimeoutsAreRefused() {
        assertThatThrownBy(() -> Timeout.builder("t", Duration.ZERO).build()).isInstanceOf(ConfigException.class)
                .hasMessage("timeout 't': timeout must be a positive duration, was PT0S");
    }
}
