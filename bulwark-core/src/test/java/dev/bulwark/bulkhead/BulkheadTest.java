package dev.bulwark.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.time.ManualClock;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BulkheadTest {

    private final ManualClock clock = new ManualClock();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void refusesCallsBeyondTheLimitAndNamesTheLimit() {
        Bulkhead bulkhead = Bulkhead.builder("db", 2).clockAndScheduler(clock).build();
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        bulkhead.executeAsync(() -> first);
        bulkhead.executeAsync(() -> second);

        assertThatThrownBy(() -> bulkhead.execute(() -> "third")).isInstanceOf(BulkheadFullException.class)
                .hasMessage("bulkhead 'db' is full: 2 of 2 calls in flight");
        first.complete("done");

        assertThat(bulkhead.inFlight()).isEqualTo(1);
        assertThat(bulkhead.rejectedCalls()).isEqualTo(1);
    }

    @Test
    void aWaitingCallGetsTheNextFreePermit() throws Exception {
        Bulkhead bulkhead = Bulkhead.builder("db", 1).maxWait(Duration.ofSeconds(5)).clockAndScheduler(clock).build();
        CompletableFuture<String> holder = new CompletableFuture<>();
        bulkhead.executeAsync(() -> holder);

        Future<String> waiting = threads.submit(() -> bulkhead.execute(() -> "got in"));
        awaitWaiting(bulkhead, 1);
        holder.complete("released");

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("got in");
        assertThat(bulkhead.inFlight()).isZero();
    }

    @Test
    void aWaitEndsWithARejectionWhenMaxWaitPasses() throws Exception {
        Bulkhead bulkhead = Bulkhead.builder("db", 1).maxWait(Duration.ofSeconds(5)).clockAndScheduler(clock).build();
        bulkhead.executeAsync(CompletableFuture::new);

        Future<Throwable> waiting = threads.submit(() -> {
            try {
                bulkhead.execute(() -> "never");
                return null;
            } catch (Throwable thrown) {
                return thrown;
            }
        });
        awaitWaiting(bulkhead, 1);
        clock.advance(Duration.ofSeconds(5));

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isInstanceOf(BulkheadFullException.class);
        assertThat(bulkhead.waiting()).isZero();
        assertThat(bulkhead.inFlight()).isEqualTo(1);
    }

    @Test
    void anInterruptedWaitLeavesNoPermitBehind() throws Exception {
        Bulkhead bulkhead = Bulkhead.builder("db", 1).maxWait(Duration.ofMinutes(5)).clockAndScheduler(clock).build();
        CompletableFuture<String> holder = new CompletableFuture<>();
        bulkhead.executeAsync(() -> holder);

        Future<String> waiting = threads.submit(() -> bulkhead.execute(() -> "never"));
        awaitWaiting(bulkhead, 1);
        waiting.cancel(true);
        awaitWaiting(bulkhead, 0);
        holder.complete("done");

        assertThat(bulkhead.inFlight()).isZero();
        assertThat(bulkhead.execute(() -> "free again")).isEqualTo("free again");
    }

    @Test
    void asyncCallsWaitWithoutBlockingAndCancelledWaitsGiveUpTheirPlace() {
        Bulkhead bulkhead = Bulkhead.builder("db", 1).maxWait(Duration.ofSeconds(5)).clockAndScheduler(clock).build();
        CompletableFuture<String> holder = new CompletableFuture<>();
        bulkhead.executeAsync(() -> holder);
        AtomicInteger started = new AtomicInteger();

        CompletionStage<String> cancelled = bulkhead.executeAsync(() -> {
            started.incrementAndGet();
            return CompletableFuture.completedFuture("never");
        });
        CompletionStage<String> patient = bulkhead.executeAsync(() -> {
            started.incrementAndGet();
            return CompletableFuture.completedFuture("second in line");
        });
        cancelled.toCompletableFuture().cancel(true);
        holder.complete("done");

        assertThat(patient.toCompletableFuture()).isCompletedWithValue("second in line");
        assertThat(started).hasValue(1);
        assertThat(bulkhead.inFlight()).isZero();
    }

    @Test
    void permitsComeBackHoweverTheCallEnds() throws Exception {
        Bulkhead bulkhead = Bulkhead.builder("db", 1).clockAndScheduler(clock).build();

        assertThatThrownBy(() -> bulkhead.execute(() -> {
            throw new IOException("failed");
        })).isInstanceOf(IOException.class);
        CompletableFuture<String> failing = new CompletableFuture<>();
        CompletionStage<String> async = bulkhead.executeAsync(() -> failing);
        failing.completeExceptionally(new IOException("async failure"));
        CompletableFuture<String> cancelledInside = new CompletableFuture<>();
        bulkhead.executeAsync(() -> cancelledInside);
        cancelledInside.cancel(true);
        CompletionStage<String> cancelledOutside = bulkhead.executeAsync(CompletableFuture::new);
        cancelledOutside.toCompletableFuture().cancel(true);

        assertThat(async.toCompletableFuture()).isCompletedExceptionally();
        assertThat(bulkhead.inFlight()).isZero();
    }

    @Test
    void noPermitIsLostUnderContention() throws Exception {
        Bulkhead bulkhead = Bulkhead.builder("db", 3).maxWait(Duration.ofMillis(1)).build();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxSeen = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            workers.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < 2_000; i++) {
                    try {
                        bulkhead.execute(() -> {
                            maxSeen.accumulateAndGet(running.incrementAndGet(), Math::max);
                            Thread.onSpinWait();
                            running.decrementAndGet();
                            if (ThreadLocalRandom.current().nextInt(4) == 0) {
                                throw new IOException("sometimes");
                            }
                            return "ok";
                        });
                    } catch (BulkheadFullException | IOException expected) {
                        // refused or failed: either way the permit must come back
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> worker : workers) {
            worker.get(60, TimeUnit.SECONDS);
        }

        assertThat(maxSeen.get()).isLessThanOrEqualTo(3);
        assertThat(bulkhead.inFlight()).isZero();
        assertThat(bulkhead.waiting()).isZero();
    }

    @Test
    void invalidSettingsFailAtBuild() {
        assertThatThrownBy(() -> Bulkhead.builder("db", 0).build()).isInstanceOf(ConfigException.class)
                .hasMessage("bulkhead 'db': maxConcurrentCalls must be in [1, 1000000], was 0");
        assertThatThrownBy(() -> Bulkhead.builder("db", 1).maxWait(Duration.ofSeconds(-1)).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("maxWait must be a duration >= 0");
    }

    private static void awaitWaiting(Bulkhead bulkhead, int expected) throws InterruptedException {
        long deadline = 10_000;
        while (bulkhead.waiting() != expected && deadline-- > 0) {
            new CountDownLatch(1).await(1, TimeUnit.MILLISECONDS);
        }
        assertThat(bulkhead.waiting()).isEqualTo(expected);
    }
}
