package dev.bulwark.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void allowsABurstThenOneTokenPerInterval() {
        RateLimiter limiter = RateLimiter.builder("api", 10).burst(5).clockAndScheduler(clock).build();

        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire()).as("burst token %d", i).isTrue();
        }
        assertThat(limiter.tryAcquire()).isFalse();
        clock.advance(Duration.ofMillis(100));
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
    }

    @Test
    void holdsTheAverageRateOverTime() {
        RateLimiter limiter = RateLimiter.builder("api", 10).burst(5).clockAndScheduler(clock).build();
        int granted = 0;
        for (int tick = 0; tick < 1000; tick++) {
            if (limiter.tryAcquire()) {
                granted++;
            }
            clock.advance(Duration.ofMillis(10));
        }
        // 10 s at 10/s, plus the initial burst of 5
        assertThat(granted).isBetween(100, 105);
        assertThat(limiter.rejectedCalls()).isEqualTo(1000 - granted);
    }

    @Test
    void refusesWithTheTimeUntilTheNextToken() {
        RateLimiter limiter = RateLimiter.builder("api", 10).burst(1).clockAndScheduler(clock).build();
        limiter.tryAcquire();

        assertThatThrownBy(() -> limiter.execute(() -> "x")).isInstanceOf(RateLimitedException.class)
                .hasMessage("rate limiter 'api' allows 10.0 calls/s: next permit in 0.100 s");
    }

    @Test
    void aSyncCallWaitsUpToMaxWaitForItsToken() throws Exception {
        RateLimiter limiter = RateLimiter.builder("api", 1).burst(1).maxWait(Duration.ofSeconds(2))
                .clockAndScheduler(clock).build();
        long start = clock.nanoTime();

        limiter.execute(() -> "first");
        limiter.execute(() -> "second waits 1 s");
        limiter.execute(() -> "third waits 1 s more");

        assertThat(clock.nanoTime() - start).isEqualTo(Duration.ofSeconds(2).toNanos());
        assertThat(limiter.permittedCalls()).isEqualTo(3);
    }

    @Test
    void anAsyncCallWaitsOnTheSchedulerNotOnAThread() {
        RateLimiter limiter = RateLimiter.builder("api", 1).burst(1).maxWait(Duration.ofSeconds(5))
                .clockAndScheduler(clock).build();
        limiter.tryAcquire();
        AtomicInteger started = new AtomicInteger();

        CompletionStage<String> stage = limiter.executeAsync(() -> {
            started.incrementAndGet();
            return CompletableFuture.completedFuture("later");
        });

        assertThat(started).hasValue(0);
        clock.advance(Duration.ofSeconds(1));
        assertThat(stage.toCompletableFuture()).isCompletedWithValue("later");
    }

    @Test
    void concurrentCallersNeverGetMoreThanTheBurst() throws Exception {
        RateLimiter limiter = RateLimiter.builder("api", 100).burst(50).clockAndScheduler(clock).build();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                workers.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < 1000; i++) {
                        if (limiter.tryAcquire()) {
                            granted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(30, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(granted).hasValue(50);
        assertThat(limiter.permittedCalls() + limiter.rejectedCalls()).isEqualTo(8000);
    }

    @Test
    void invalidSettingsFailAtBuild() {
        assertThatThrownBy(() -> RateLimiter.builder("api", 0).build()).isInstanceOf(ConfigException.class)
                .hasMessage("rate limiter 'api': permitsPerSecond must be in (0.0, 1.0E9], was 0.0");
        assertThatThrownBy(() -> RateLimiter.builder("api", 5).burst(0).build()).isInstanceOf(ConfigException.class)
                .hasMessage("rate limiter 'api': burst must be in [1, 1000000000], was 0");
    }
}
