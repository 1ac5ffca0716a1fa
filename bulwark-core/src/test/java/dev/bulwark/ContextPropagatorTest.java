package dev.bulwark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.chaos.Chaos;
import dev.bulwark.fanout.Adapter;
import dev.bulwark.fanout.FanOut;
import dev.bulwark.fanout.FanOutResult;
import dev.bulwark.hedge.Hedge;
import dev.bulwark.ratelimit.RateLimiter;
import dev.bulwark.retry.Backoff;
import dev.bulwark.retry.Retry;
import dev.bulwark.time.ManualClock;
import dev.bulwark.timeout.Timeout;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A value bound to the thread that starts an execution is seen by every part of it that runs on another thread,
 * and each such thread gets its own value back afterwards. The scheduler here is a {@link ManualClock}, whose
 * tasks run on the thread that advances it: the test thread, which holds a different value than the caller.
 */
class ContextPropagatorTest {

    private static final ThreadLocal<String> REQUEST = new ThreadLocal<>();
    private static final String TEST_THREADS_OWN = "test-thread";

    private final ManualClock clock = new ManualClock();
    private final ExecutorService caller = Executors.newSingleThreadExecutor();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private ContextPropagator.Scope registration = () -> { };

    /** Carries {@link #REQUEST}; a thread without a value gets none (removed, not an empty value). */
    private static final class RequestPropagator implements ContextPropagator {
        @Override
        public Snapshot capture() {
            String captured = REQUEST.get();
            return () -> {
                String previous = REQUEST.get();
                set(captured);
                return () -> set(previous);
            };
        }

        private static void set(String value) {
            if (value == null) {
                REQUEST.remove();
            } else {
                REQUEST.set(value);
            }
        }
    }

    @BeforeEach
    void register() {
        registration = ContextPropagator.register(new RequestPropagator());
        REQUEST.set(TEST_THREADS_OWN);
    }

    @AfterEach
    void unregister() {
        registration.close();
        REQUEST.remove();
        caller.shutdownNow();
    }

    /** Runs {@code start} on the caller thread while it holds {@code req-1}, as a request handler would. */
    private <T> T onCallerThread(Callable<T> start) throws Exception {
        return caller.submit(() -> {
            REQUEST.set("req-1");
            try {
                return start.call();
            } finally {
                REQUEST.remove();
            }
        }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aDelayedRetryAttemptSeesTheCallersContext() throws Exception {
        Retry retry = Retry.builder("inventory").maxRetries(2).backoff(Backoff.fixed(Duration.ofSeconds(1)))
                .retryOn(IOException.class::isInstance).clockAndScheduler(clock).build();
        AtomicInteger attempts = new AtomicInteger();

        CompletionStage<String> stage = onCallerThread(() -> retry.executeAsync(() -> {
            seen.add(REQUEST.get());
            return attempts.incrementAndGet() < 3
                    ? CompletableFuture.failedFuture(new IOException("flaky"))
                    : CompletableFuture.completedFuture("stocked");
        }));
        clock.advance(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));

        assertThat(stage.toCompletableFuture().getNow("not done")).isEqualTo("stocked");
        assertThat(seen).containsExactly("req-1", "req-1", "req-1");
        assertThat(REQUEST.get()).as("the scheduler's thread gets its own value back").isEqualTo(TEST_THREADS_OWN);
    }

    @Test
    void aBackupStartedByTheHedgeTimerSeesTheCallersContext() throws Exception {
        Hedge hedge = Hedge.builder("search", Duration.ofMillis(100)).clockAndScheduler(clock).build();
        CompletableFuture<String> slowFirst = new CompletableFuture<>();
        AtomicInteger attempts = new AtomicInteger();

        CompletionStage<String> stage = onCallerThread(() -> hedge.executeAsync(() -> {
            seen.add(REQUEST.get());
            return attempts.incrementAndGet() == 1 ? slowFirst : CompletableFuture.completedFuture("backup");
        }));
        clock.advance(Duration.ofMillis(100));

        assertThat(stage.toCompletableFuture().getNow("not done")).isEqualTo("backup");
        assertThat(seen).containsExactly("req-1", "req-1");
        assertThat(REQUEST.get()).isEqualTo(TEST_THREADS_OWN);
    }

    @Test
    void whatReactsToAnAsyncTimeoutRunsInTheCallersContext() throws Exception {
        Timeout timeout = Timeout.builder("db", Duration.ofSeconds(1)).clockAndScheduler(clock).build();
        AtomicReference<String> seenByFallback = new AtomicReference<>();

        CompletionStage<String> stage = onCallerThread(
                () -> timeout.executeAsync(() -> new CompletableFuture<String>())
                        .exceptionally(timedOut -> {
                            seenByFallback.set(REQUEST.get());
                            return "fallback";
                        }));
        clock.advance(Duration.ofSeconds(1));

        assertThat(stage.toCompletableFuture().getNow("not done")).isEqualTo("fallback");
        assertThat(seenByFallback).hasValue("req-1");
        assertThat(REQUEST.get()).isEqualTo(TEST_THREADS_OWN);
    }

    @Test
    void aSyncTimeoutsWorkerThreadSeesTheCallersContextAndGetsItsOwnBack() throws Exception {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            Timeout timeout = Timeout.builder("db", Duration.ofSeconds(1)).executor(worker)
                    .clockAndScheduler(clock).build();

            String seenByCall = onCallerThread(() -> timeout.execute(REQUEST::get));

            assertThat(seenByCall).isEqualTo("req-1");
            assertThat(worker.submit(REQUEST::get).get(5, TimeUnit.SECONDS))
                    .as("the worker holds nothing after the call").isNull();
        } finally {
            worker.shutdownNow();
        }
    }

    @Test
    void aSyncHedgesAttemptsSeeTheCallersContext() throws Exception {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            Hedge hedge = Hedge.builder("search", Duration.ofSeconds(1)).executor(worker).clockAndScheduler(clock).build();

            assertThat(onCallerThread(() -> hedge.execute(REQUEST::get))).isEqualTo("req-1");
            assertThat(worker.submit(REQUEST::get).get(5, TimeUnit.SECONDS)).isNull();
        } finally {
            worker.shutdownNow();
        }
    }

    @Test
    void aFanOutsBlockingAdapterSeesTheCallersContext() throws Exception {
        FanOut<String, String> fanOut = FanOut.<String, String>builder("search").clockAndScheduler(clock)
                .adapter(Adapter.blocking("db", (request, context) -> REQUEST.get())).build();
        try {
            FanOutResult<String> result = onCallerThread(() -> fanOut.execute("q", FanOut.RequestOptions.defaults()));

            assertThat(result.values()).containsExactly("req-1");
        } finally {
            fanOut.shutdown().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCallQueuedInTheBulkheadStartsInItsCallersContext() throws Exception {
        Bulkhead bulkhead = Bulkhead.builder("db", 1).maxWait(Duration.ofSeconds(5)).clockAndScheduler(clock).build();
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletionStage<String> holding = bulkhead.executeAsync(() -> first);

        CompletionStage<String> queued = onCallerThread(() -> bulkhead.executeAsync(() -> {
            seen.add(REQUEST.get());
            return CompletableFuture.completedFuture("second");
        }));
        assertThat(seen).as("still waiting for the permit").isEmpty();
        first.complete("first"); // frees the permit on this thread, which starts the queued call

        assertThat(holding.toCompletableFuture().getNow("not done")).isEqualTo("first");
        assertThat(queued.toCompletableFuture().getNow("not done")).isEqualTo("second");
        assertThat(seen).containsExactly("req-1");
        assertThat(REQUEST.get()).isEqualTo(TEST_THREADS_OWN);
    }

    @Test
    void aCallThatWaitedForARateLimitTokenRunsInItsCallersContext() throws Exception {
        RateLimiter limiter = RateLimiter.builder("api", 1).burst(1).maxWait(Duration.ofSeconds(5))
                .clockAndScheduler(clock).build();
        limiter.execute(() -> "takes the only token");

        CompletionStage<String> waited = onCallerThread(() -> limiter.executeAsync(() -> {
            seen.add(REQUEST.get());
            return CompletableFuture.completedFuture("served");
        }));
        clock.advance(Duration.ofSeconds(1));

        assertThat(waited.toCompletableFuture().getNow("not done")).isEqualTo("served");
        assertThat(seen).containsExactly("req-1");
        assertThat(REQUEST.get()).isEqualTo(TEST_THREADS_OWN);
    }

    @Test
    void aCallDelayedByInjectedLatencyRunsInItsCallersContext() throws Exception {
        Chaos chaos = Chaos.builder("demo").latency(1.0, Duration.ofSeconds(1)).clockAndScheduler(clock).build();

        CompletionStage<String> delayed = onCallerThread(() -> chaos.executeAsync(() -> {
            seen.add(REQUEST.get());
            return CompletableFuture.completedFuture("late");
        }));
        clock.advance(Duration.ofSeconds(1));

        assertThat(delayed.toCompletableFuture().getNow("not done")).isEqualTo("late");
        assertThat(seen).containsExactly("req-1");
        assertThat(REQUEST.get()).isEqualTo(TEST_THREADS_OWN);
    }

    @Test
    void anUnregisteredPropagatorIsNoLongerCarried() throws Exception {
        registration.close();
        registration.close(); // closing twice is harmless
        Retry retry = Retry.builder("inventory").maxRetries(1).backoff(Backoff.fixed(Duration.ofSeconds(1)))
                .retryOn(IOException.class::isInstance).clockAndScheduler(clock).build();
        AtomicInteger attempts = new AtomicInteger();

        onCallerThread(() -> retry.executeAsync(() -> {
            seen.add(REQUEST.get());
            return attempts.incrementAndGet() == 1
                    ? CompletableFuture.failedFuture(new IOException("flaky"))
                    : CompletableFuture.completedFuture("stocked");
        }));
        clock.advance(Duration.ofSeconds(1));

        assertThat(seen).containsExactly("req-1", TEST_THREADS_OWN);
        Runnable task = () -> { };
        assertThat(ContextPropagator.snapshot().wrap(task)).as("nothing registered: nothing wrapped").isSameAs(task);
    }

    @Test
    void aPropagatorCannotBeRegisteredTwice() {
        ContextPropagator propagator = new RequestPropagator();
        try (ContextPropagator.Scope once = ContextPropagator.register(propagator)) {
            assertThatThrownBy(() -> ContextPropagator.register(propagator))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
        }
    }

    @Test
    void aPropagatorThatThrowsIsReportedAndTheWorkStillRunsWithTheOthersContext() throws Exception {
        IllegalStateException broken = new IllegalStateException("broken propagator");
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler previousHandler = Thread.currentThread().getUncaughtExceptionHandler();
        Thread.currentThread().setUncaughtExceptionHandler((thread, failure) -> reported.add(failure));
        try (ContextPropagator.Scope second = ContextPropagator.register(() -> () -> {
            throw broken;
        })) {
            ContextPropagator.Snapshot snapshot = onCallerThread(ContextPropagator::snapshot);

            snapshot.wrap(() -> seen.add(REQUEST.get())).run();

            assertThat(seen).containsExactly("req-1");
            assertThat(reported).containsExactly(broken);
            assertThat(REQUEST.get()).isEqualTo(TEST_THREADS_OWN);
        } finally {
            Thread.currentThread().setUncaughtExceptionHandler(previousHandler);
        }
    }
}
