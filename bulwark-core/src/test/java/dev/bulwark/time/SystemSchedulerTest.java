package dev.bulwark.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shared system scheduler, on real time: every wait here is bounded and none is a sleep. */
class SystemSchedulerTest {
    private final Scheduler scheduler = Scheduler.system();

    @Test
    void aTaskThatBlocksHoldsUpNoOtherTask() throws Exception {
        CountDownLatch blockerStarted = new CountDownLatch(1);
        CountDownLatch unblock = new CountDownLatch(1);
        CompletableFuture<String> later = new CompletableFuture<>();
        try {
            scheduler.schedule(Duration.ZERO, () -> {
                blockerStarted.countDown();
                try {
                    unblock.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(blockerStarted.await(10, TimeUnit.SECONDS)).isTrue();

            scheduler.schedule(Duration.ofMillis(1), () -> later.complete(Thread.currentThread().getName()));

            assertThat(later.get(10, TimeUnit.SECONDS)).as("ran while the first task still blocked")
                    .startsWith("bulwark-scheduled-");
        } finally {
            unblock.countDown();
        }
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheTasksAfterIt() throws Exception {
        scheduler.schedule(Duration.ZERO, () -> {
            throw new IllegalStateException("a failing task, logged on purpose by this test");
        });
        CompletableFuture<Boolean> after = new CompletableFuture<>();

        scheduler.schedule(Duration.ofMillis(1), () -> after.complete(true));

        assertThat(after.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aCancelledTaskNeverRunsAndOnlyTheFirstCancelCounts() throws Exception {
        CompletableFuture<Boolean> cancelledRan = new CompletableFuture<>();
        Scheduler.Cancellable handle = scheduler.schedule(Duration.ofMillis(50), () -> cancelledRan.complete(true));

        assertThat(handle.cancel()).isTrue();
        assertThat(handle.cancel()).isFalse();
        CompletableFuture<Boolean> marker = new CompletableFuture<>();
        scheduler.schedule(Duration.ofMillis(100), () -> marker.complete(true));
        assertThat(marker.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(cancelledRan).as("due before the marker, yet never run").isNotDone();
    }
}
