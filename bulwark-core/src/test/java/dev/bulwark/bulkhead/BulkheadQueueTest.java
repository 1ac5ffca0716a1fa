package dev.bulwark.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bulkhead's waiting queue bounded by {@code maxWaitingCalls}. */
class BulkheadQueueTest {

    private final ManualClock clock = new ManualClock();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private Bulkhead bulkhead(int running, int waiting) {
        return Bulkhead.builder("db", running).maxWait(Duration.ofMinutes(1)).maxWaitingCalls(waiting)
                .clockAndScheduler(clock).build();
    }

    @Test
    void atMostMaxWaitingCallsWaitAndTheNextIsRefusedAtOnceThenTheQueueRunsInArrivalOrder() {
        Bulkhead bulkhead = bulkhead(2, 2);
        CompletableFuture<String> firstHolder = new CompletableFuture<>();
        CompletableFuture<String> secondHolder = new CompletableFuture<>();
        bulkhead.executeAsync(() -> firstHolder);
        bulkhead.executeAsync(() -> secondHolder);
        List<String> started = new CopyOnWriteArrayList<>();
        CompletionStage<String> firstWaiter = bulkhead.executeAsync(() -> {
            started.add("first");
            return new CompletableFuture<>();
        });
        CompletionStage<String> secondWaiter = bulkhead.executeAsync(() -> {
            started.add("second");
            return CompletableFuture.completedFuture("second done");
        });

        CompletableFuture<String> refused = bulkhead.executeAsync(() -> CompletableFuture.completedFuture("never"))
                .toCompletableFuture();

        assertThat(refused).isCompletedExceptionally();
        assertThatThrownBy(refused::join).hasCauseInstanceOf(BulkheadFullException.class);
        assertThat(bulkhead.waiting()).isEqualTo(2);
        assertThat(bulkhead.queuedCalls()).isEqualTo(2);
        assertThat(bulkhead.rejectedCalls()).isEqualTo(1);
        assertThat(started).isEmpty();

        firstHolder.complete("done");
        assertThat(started).containsExactly("first");
        secondHolder.complete("done");
        assertThat(started).containsExactly("first", "second");
        assertThat(secondWaiter.toCompletableFuture()).isCompletedWithValue("second done");
        assertThat(firstWaiter.toCompletableFuture()).isNotDone();
        assertThat(bulkhead.inFlight()).isEqualTo(1);
        assertThat(bulkhead.waiting()).isZero();
    }

    @Test
    void aCancelledWaiterFreesItsQueuePlaceAndNeverRuns() {
        Bulkhead bulkhead = bulkhead(1, 1);
        CompletableFuture<String> holder = new CompletableFuture<>();
        bulkhead.executeAsync(() -> holder);
        AtomicInteger cancelledRuns = new AtomicInteger();
        CompletionStage<String> cancelled = bulkhead.executeAsync(() -> {
            cancelledRuns.incrementAndGet();
            return CompletableFuture.completedFuture("never");
        });

        cancelled.toCompletableFuture().cancel(true);
        assertThat(bulkhead.waiting()).isZero();
        CompletionStage<String> next = bulkhead.executeAsync(() -> CompletableFuture.completedFuture("took the place"));
        assertThat(next.toCompletableFuture()).isNotDone(); // queued, not refused
        holder.complete("done");

        assertThat(next.toCompletableFuture()).isCompletedWithValue("took the place");
        assertThat(cancelledRuns).hasValue(0);
        assertThat(bulkhead.inFlight()).isZero();
        assertThat(bulkhead.waiting()).isZero();
    }

    @Test
    void aWaiterWhoseMaxWaitPassesLeavesTheQueue() {
        Bulkhead bulkhead = bulkhead(1, 1);
        bulkhead.executeAsync(CompletableFuture::new);
        CompletableFuture<String> waiter = bulkhead.executeAsync(() -> CompletableFuture.completedFuture("late"))
                .toCompletableFuture();

        clock.advance(Duration.ofMinutes(1));

        assertThatThrownBy(waiter::join).hasCauseInstanceOf(BulkheadFullException.class);
        assertThat(bulkhead.waiting()).isZero();
        assertThat(bulkhead.executeAsync(() -> CompletableFuture.completedFuture("x")).toCompletableFuture()).isNotDone();
    }

    @Test
    void synchronousWaitersShareTheBoundedQueue() throws Exception {
        Bulkhead bulkhead = bulkhead(1, 1);
        CompletableFuture<String> holder = new CompletableFuture<>();
        bulkhead.executeAsync(() -> holder);
        CountDownLatch queued = new CountDownLatch(1);
        bulkhead.subscribe(event -> {
            if (event instanceof Bulkhead.Event.Queued) {
                queued.countDown();
            }
        });
        Future<String> blocked = threads.submit(() -> bulkhead.execute(() -> "waited"));
        assertThat(queued.await(5, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> bulkhead.execute(() -> "refused")).isInstanceOf(BulkheadFullException.class);
        holder.complete("done");

        assertThat(blocked.get(5, TimeUnit.SECONDS)).isEqualTo("waited");
    }

    @Test
    void eventsReportEachQueuedAndRejectedCall() {
        Bulkhead bulkhead = bulkhead(1, 1);
        List<Bulkhead.Event> events = new ArrayList<>();
        bulkhead.subscribe(events::add);
        bulkhead.executeAsync(CompletableFuture::new);
        bulkhead.executeAsync(CompletableFuture::new);
        bulkhead.executeAsync(CompletableFuture::new);

        assertThat(events).containsExactly(new Bulkhead.Event.Queued("db", 1, 1), new Bulkhead.Event.Rejected("db", 1, 1));
    }

    @Test
    void theDefaultQueueIsUnboundedAndTheSettingIsValidated() {
        BulkheadConfig defaults = BulkheadConfig.builder("db").maxConcurrentCalls(1).buildConfig();
        assertThat(defaults.maxWaitingCalls()).isEqualTo(BulkheadConfig.UNBOUNDED_WAITING);
        assertThat(defaults.toBuilder().maxWaitingCalls(3).buildConfig().maxWaitingCalls()).isEqualTo(3);
        assertThatThrownBy(() -> BulkheadConfig.builder("db").maxConcurrentCalls(1).maxWaitingCalls(-1).buildConfig())
                .isInstanceOf(ConfigException.class).hasMessageContaining("maxWaitingCalls").hasMessageContaining("-1");
        assertThatThrownBy(() -> BulkheadConfig.builder("db").maxWaitingCalls(1).maxWaitingCalls(2))
                .isInstanceOf(ConfigException.class).hasMessageContaining("maxWaitingCalls");
    }

    @Test
    void zeroWaitingCallsRefusesAtOnceEvenWithAMaxWait() {
        Bulkhead bulkhead = bulkhead(1, 0);
        bulkhead.executeAsync(CompletableFuture::new);

        assertThat(bulkhead.executeAsync(() -> CompletableFuture.completedFuture("x")).toCompletableFuture())
                .isCompletedExceptionally();
        assertThat(bulkhead.queuedCalls()).isZero();
    }

    @Test
    void underContentionNeverMoreRunOrWaitThanAllowedAndEveryCallIsAccounted() throws Exception {
        int maxRunning = 3;
        int maxWaiting = 4;
        int submitters = 8;
        int callsEach = 500;
        Bulkhead bulkhead = bulkhead(maxRunning, maxWaiting);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        AtomicInteger mostWaiting = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(submitters);
        ExecutorService completers = Executors.newFixedThreadPool(2);
        List<Future<List<CompletableFuture<String>>>> work = new ArrayList<>();
        try {
            for (int s = 0; s < submitters; s++) {
                work.add(threads.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    List<CompletableFuture<String>> mine = new ArrayList<>();
                    for (int i = 0; i < callsEach; i++) {
                        mine.add(bulkhead.executeAsync(() -> {
                            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                            return CompletableFuture.supplyAsync(() -> {
                                running.decrementAndGet();
                                return "ok";
                            }, completers);
                        }).toCompletableFuture());
                        mostWaiting.accumulateAndGet(bulkhead.waiting(), Math::max);
                    }
                    return mine;
                }));
            }
            for (Future<List<CompletableFuture<String>>> each : work) {
                for (CompletableFuture<String> call : each.get(30, TimeUnit.SECONDS)) {
                    try {
                        call.get(30, TimeUnit.SECONDS);
                        ran.incrementAndGet();
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertThat(e.getCause()).isInstanceOf(BulkheadFullException.class);
                        refused.incrementAndGet();
                    }
                }
            }
        } finally {
            completers.shutdownNow();
        }

        assertThat(mostRunning.get()).isBetween(1, maxRunning);
        assertThat(mostWaiting.get()).isLessThanOrEqualTo(maxWaiting);
        assertThat(ran.get() + refused.get()).isEqualTo(submitters * callsEach);
        assertThat(refused.get()).isEqualTo(bulkhead.rejectedCalls());
        assertThat(bulkhead.inFlight()).isZero();
        assertThat(bulkhead.waiting()).isZero();
    }
}
