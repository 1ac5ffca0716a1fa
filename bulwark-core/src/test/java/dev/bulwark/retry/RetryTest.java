package dev.bulwark.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.ExecutionContext;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitOpenException;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryTest {

    private final ManualClock clock = new ManualClock();
    private final List<Retry.Event> events = new CopyOnWriteArrayList<>();

    private Retry retry(RetryConfig.Builder builder) {
        Retry retry = builder.clockAndScheduler(clock).build();
        retry.subscribe(events::add);
        return retry;
    }

    private Retry defaults() {
        return retry(Retry.builder("inventory"));
    }

    @Test
    void retriesWithTheBackoffUntilTheCallSucceeds() throws Exception {
        Retry retry = defaults();
        AtomicInteger calls = new AtomicInteger();
        long start = clock.nanoTime();

        String result = retry.executeWithContext(context -> {
            assertThat(context.attempt()).isEqualTo(calls.incrementAndGet());
            if (context.attempt() < 4) {
                throw new IOException("flaky");
            }
            return "stocked";
        });

        assertThat(result).isEqualTo("stocked");
        assertThat(Duration.ofNanos(clock.nanoTime() - start)).as("waited 1 + 2 + 4 s").isEqualTo(Duration.ofSeconds(7));
        assertThat(events).containsExactly(
                new Retry.Event.Retrying("inventory", 1, 1_000_000_000L, events.get(0) instanceof Retry.Event.Retrying r ? r.error() : null),
                events.get(1), events.get(2), new Retry.Event.Succeeded("inventory", 4));
        assertThat(retry.stats().succeededAfterRetry()).isEqualTo(1);
        assertThat(retry.stats().retries()).isEqualTo(3);
    }

    @Test
    void rethrowsTheLastCheckedExceptionUnwrappedWhenRetriesRunOut() {
        Retry retry = defaults();
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry.execute(() -> {
            throw new IOException("attempt " + calls.incrementAndGet());
        })).isInstanceOf(IOException.class).hasMessage("attempt 4");

        assertThat(retry.stats().failedMaxRetries()).isEqualTo(1);
        assertThat(events).last().isInstanceOfSatisfying(Retry.Event.GaveUp.class,
                gaveUp -> assertThat(gaveUp.reason()).isEqualTo(Retry.Event.StopReason.MAX_RETRIES));
    }

    @Test
    void doesNotRetryWhatThePredicateRefusesOrAborts() {
        Retry retry = retry(Retry.builder("picky").retryOn(IOException.class::isInstance)
                .abortOn(e -> e.getMessage() != null && e.getMessage().contains("fatal")));
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry.execute(() -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("bad input");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> retry.execute(() -> {
            calls.incrementAndGet();
            throw new IOException("fatal: disk gone");
        })).isInstanceOf(IOException.class);

        assertThat(calls).hasValue(2);
        assertThat(retry.stats().failedNotRetryable()).isEqualTo(2);
    }

    @Test
    void bulwarkRejectionsAreNotRetriedByDefault() {
        CircuitBreaker breaker = CircuitBreaker.builder("down").clock(clock).build();
        breaker.forceOpen();
        Retry retry = defaults();

        assertThatThrownBy(() -> retry.execute(() -> breaker.execute(() -> "x"))).isInstanceOf(CircuitOpenException.class);
        assertThat(retry.stats().retries()).isZero();
    }

    @Test
    void retriesResultsThePredicateRejectsAndReturnsTheLastOne() throws Exception {
        Retry retry = retry(Retry.builder("status").maxRetries(2).retryOnResult(status -> (Integer) status >= 500));
        AtomicInteger calls = new AtomicInteger();

        Integer status = retry.execute(() -> 500 + calls.incrementAndGet());

        assertThat(status).isEqualTo(503);
        assertThat(calls).hasValue(3);
    }

    @Test
    void anAttemptThatCannotFinishBeforeTheDeadlineIsNotStarted() {
        Retry retry = defaults();
        AtomicInteger calls = new AtomicInteger();
        ExecutionContext context = ExecutionContext.start(clock).withDeadline(clock.nanoTime() + Duration.ofSeconds(3).toNanos());

        assertThatThrownBy(() -> retry.execute(context, ctx -> {
            calls.incrementAndGet();
            throw new IOException("slow dependency");
        })).isInstanceOf(IOException.class);

        // attempt 1 at 0 s, attempt 2 at 1 s; attempt 3 would start at 3 s, the deadline
        assertThat(calls).hasValue(2);
        assertThat(retry.stats().failedDeadline()).isEqualTo(1);
    }

    @Test
    void aRetryBudgetStopsARetryStorm() {
        Retry.Budget budget = Retry.Budget.of(0.1, 2);
        Retry retry = retry(Retry.builder("budgeted").budget(budget).backoff(Backoff.fixed(Duration.ofMillis(10))));
        AtomicInteger calls = new AtomicInteger();

        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> retry.execute(() -> {
                calls.incrementAndGet();
                throw new IOException("down");
            })).isInstanceOf(IOException.class);
        }

        // without a budget: 20 x 4 = 80 attempts. With it: 20 first attempts, the 2 reserve tokens (spent by
        // the first call), then a token per 10 calls: one more by the 20th call (the first call's deposit
        // found the reserve full)
        assertThat(calls.get()).isEqualTo(20 + 2 + 1);
        assertThat(retry.stats().failedBudget()).isEqualTo(20);
        assertThat(budget.deniedRetries()).isEqualTo(20);
    }

    @Test
    void asyncRetriesAreScheduledWithoutBlocking() {
        Retry retry = defaults();
        AtomicInteger calls = new AtomicInteger();

        CompletionStage<String> stage = retry.executeAsync(() -> calls.incrementAndGet() < 3
                ? CompletableFuture.failedFuture(new IOException("flaky"))
                : CompletableFuture.completedFuture("done"));

        assertThat(stage.toCompletableFuture()).isNotDone();
        clock.advance(Duration.ofSeconds(1));
        assertThat(calls).hasValue(2);
        clock.advance(Duration.ofSeconds(2));
        assertThat(stage.toCompletableFuture()).isCompletedWithValue("done");
    }

    @Test
    void asyncGivesUpWithTheLastErrorUnwrapped() {
        Retry retry = retry(Retry.builder("async").maxRetries(1).backoff(Backoff.fixed(Duration.ofSeconds(1))));
        IOException last = new IOException("second");
        AtomicInteger calls = new AtomicInteger();

        CompletionStage<String> stage = retry.executeAsync(() -> CompletableFuture.failedFuture(
                calls.incrementAndGet() == 1 ? new IOException("first") : last));
        clock.advance(Duration.ofSeconds(1));

        assertThat(stage.handle((value, error) -> error).toCompletableFuture().join()).isSameAs(last);
    }

    @Test
    void cancellingAnAsyncRetryCancelsTheAttemptAndStopsRetrying() {
        Retry retry = defaults();
        AtomicInteger calls = new AtomicInteger();
        List<CompletableFuture<String>> attempts = new CopyOnWriteArrayList<>();

        CompletionStage<String> stage = retry.executeAsync(() -> {
            calls.incrementAndGet();
            CompletableFuture<String> attempt = new CompletableFuture<>();
            attempts.add(attempt);
            return attempt;
        });
        stage.toCompletableFuture().cancel(true);
        clock.advance(Duration.ofMinutes(5));

        assertThat(attempts).singleElement().satisfies(attempt -> assertThat(attempt).isCancelled());
        assertThat(calls).hasValue(1);
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void cancellingAnAsyncRetryDuringItsBackoffStartsNoFurtherAttempt() {
        Retry retry = defaults();
        AtomicInteger calls = new AtomicInteger();

        CompletionStage<String> stage = retry.executeAsync(() -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException("down"));
        });
        assertThat(calls).as("the first attempt failed; the retry waits its backoff").hasValue(1);
        stage.toCompletableFuture().cancel(true);
        clock.advance(Duration.ofMinutes(5));

        assertThat(calls).hasValue(1);
        assertThat(stage.toCompletableFuture()).isCancelled();
    }

    @Test
    void adaptiveBackoffLearnsAcrossCalls() {
        Backoff adaptive = Backoff.adaptive(Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofSeconds(60));
        Retry retry = retry(Retry.builder("learning").maxRetries(1).backoff(adaptive));

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> retry.execute(() -> {
                throw new IOException("down");
            })).isInstanceOf(IOException.class);
        }

        assertThat(Duration.ofNanos(adaptive.delayNanos(1, 0, new java.util.Random(1)))).as("six failed attempts double it six times").isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void invalidSettingsFailAtBuild() {
        assertThatThrownBy(() -> Retry.builder("r").maxRetries(-1).build()).isInstanceOf(ConfigException.class)
                .hasMessage("retry 'r': maxRetries must be in [0, 2147483646]; -1 (unlimited) only together with a maxDuration, was -1");
        assertThatThrownBy(() -> Retry.builder("r").maxRetries(-2).maxDuration(Duration.ofSeconds(1)).build())
                .isInstanceOf(ConfigException.class).hasMessage("retry 'r': maxRetries must be in [0, 2147483646], was -2");
        assertThatThrownBy(() -> Retry.builder("r").maxRetries(Integer.MAX_VALUE).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("retry 'r': maxRetries must be in [0, 2147483646], was 2147483647");
    }
}
