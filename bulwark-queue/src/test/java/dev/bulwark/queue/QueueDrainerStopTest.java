package dev.bulwark.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Stopping a drainer while it drains: what is handled, what stays queued, and which ticks remain. */
class QueueDrainerStopTest {

    @Test
    void stopReturnsOnlyOnceTheItemBeingHandledIsAcknowledgedAndAStoppedDrainerDrainsNothing() throws Exception {
        InMemoryDeferredQueue<String> queue = new InMemoryDeferredQueue<>("later", 10);
        for (String item : List.of("a", "b", "c")) {
            queue.offer(item);
        }
        CountDownLatch handlingA = new CountDownLatch(1);
        CountDownLatch finishA = new CountDownLatch(1);
        List<String> handled = new CopyOnWriteArrayList<>();
        ManualClock clock = new ManualClock();
        QueueDrainer<String> drainer = QueueDrainer.builder(queue, item -> {
            handled.add(item);
            if (item.equals("a")) {
                handlingA.countDown();
                assertThat(finishA.await(10, TimeUnit.SECONDS)).isTrue();
            }
        }).interval(Duration.ofSeconds(1)).scheduler(clock).build();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Integer> drain = CompletableFuture.supplyAsync(drainer::drainNow, threads);
            assertThat(handlingA.await(10, TimeUnit.SECONDS)).isTrue();
            CountDownLatch stopping = new CountDownLatch(1);
            AtomicReference<String> seenWhenStopped = new AtomicReference<>();
            CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
                stopping.countDown();
                drainer.stop();
                seenWhenStopped.set("drain ended " + drain.isDone() + ", queued " + queue.size());
            }, threads);
            assertThat(stopping.await(10, TimeUnit.SECONDS)).isTrue();
            finishA.countDown();
            stop.get(10, TimeUnit.SECONDS);
            int drained = drain.get(10, TimeUnit.SECONDS);

            assertThat(seenWhenStopped.get()).isEqualTo("drain ended true, queued " + (3 - drained));
            assertThat(handled).as("no item handed over twice, a first").startsWith("a").doesNotHaveDuplicates()
                    .hasSize(drained);
            assertThat(drainer.drainNow()).as("a stopped drainer drains nothing").isZero();
            assertThat(handled).hasSize(drained);

            drainer.start();
            clock.advance(Duration.ofSeconds(1));
            assertThat(handled).as("started again, it drains the rest").containsExactly("a", "b", "c");
            assertThat(queue.size()).isZero();
        } finally {
            finishA.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void aStopAndAStartWhileATickDrainsLeaveOneTickPending() {
        InMemoryDeferredQueue<String> queue = new InMemoryDeferredQueue<>("later", 10);
        queue.offer("restart");
        queue.offer("next");
        ManualClock clock = new ManualClock();
        List<String> handled = new CopyOnWriteArrayList<>();
        AtomicReference<QueueDrainer<String>> self = new AtomicReference<>();
        QueueDrainer<String> drainer = QueueDrainer.builder(queue, item -> {
            handled.add(item);
            if (item.equals("restart")) {
                self.get().stop(); // as a configuration reload would, from the tick's own thread here
                self.get().start();
            }
        }).interval(Duration.ofSeconds(1)).scheduler(clock).build();
        self.set(drainer);
        drainer.start();

        clock.advance(Duration.ofSeconds(1));

        assertThat(handled).as("started again at once, the drain went on").containsExactly("restart", "next");
        assertThat(clock.pendingTasks()).as("the restarted run's tick only, not the old run's too").isEqualTo(1);
        drainer.stop();
        assertThat(clock.pendingTasks()).isZero();
    }
}
