package dev.bulwark.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ManualClockTest {

    @Test
    void advanceMovesMonotonicAndWallReadingsTogether() {
        ManualClock clock = new ManualClock(100L, 5_000L);

        clock.advance(Duration.ofMillis(250));

        assertThat(clock.nanoTime()).isEqualTo(100L + 250_000_000L);
        assertThat(clock.wallMillis()).isEqualTo(5_250L);
    }

    @Test
    void defaultStartIsNearTheLongRangeSoWrapAroundBugsSurface() {
        ManualClock clock = new ManualClock();
        long before = clock.nanoTime();

        clock.advance(Duration.ofHours(4));

        assertThat(clock.nanoTime()).isNegative();
        assertThat(clock.nanoTime() - before).isEqualTo(Duration.ofHours(4).toNanos());
    }

    @Test
    void runsDueTasksInDueOrderWithTheClockAtEachDueTime() {
        ManualClock clock = new ManualClock(0L, 0L);
        List<String> ran = new ArrayList<>();
        clock.schedule(Duration.ofSeconds(3), () -> ran.add("c@" + clock.nanoTime()));
        clock.schedule(Duration.ofSeconds(1), () -> ran.add("a@" + clock.nanoTime()));
        clock.schedule(Duration.ofSeconds(2), () -> ran.add("b@" + clock.nanoTime()));

        clock.advance(Duration.ofMillis(2500));

        assertThat(ran).containsExactly("a@1000000000", "b@2000000000");
        assertThat(clock.nanoTime()).isEqualTo(2_500_000_000L);
        assertThat(clock.pendingTasks()).isEqualTo(1);
    }

    @Test
    void tasksScheduledByTasksRunWithinTheSameAdvance() {
        ManualClock clock = new ManualClock(0L, 0L);
        List<Long> ran = new ArrayList<>();
        clock.schedule(Duration.ofSeconds(1), () -> {
            ran.add(clock.nanoTime());
            clock.schedule(Duration.ofSeconds(1), () -> ran.add(clock.nanoTime()));
        });

        clock.advance(Duration.ofSeconds(5));

        assertThat(ran).containsExactly(1_000_000_000L, 2_000_000_000L);
    }

    @Test
    void aTaskThatSleepsMovesTheClockOnAndItNeverGoesBack() throws Exception {
        ManualClock clock = new ManualClock(0L, 0L);
        clock.schedule(Duration.ofSeconds(1), () -> {
            try {
                clock.sleep(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });

        clock.advance(Duration.ofSeconds(2));

        assertThat(clock.nanoTime()).isEqualTo(6_000_000_000L);
    }

    @Test
    void advancesFromManyThreadsAtOnceAddUpAndRunEveryDueTaskOnce() throws Exception {
        ManualClock clock = new ManualClock();
        long start = clock.nanoTime();
        int threads = 4;
        int advancesEach = 2_000;
        AtomicInteger ran = new AtomicInteger();
        int tasks = threads * advancesEach;
        for (int i = 1; i <= tasks; i++) {
            clock.schedule(Duration.ofMillis(i), ran::incrementAndGet);
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < advancesEach; i++) {
                        clock.advance(Duration.ofMillis(1));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> each : done) {
                each.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(clock.nanoTime() - start).isEqualTo(Duration.ofMillis(tasks).toNanos());
        assertThat(ran).hasValue(tasks);
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void cancelledTasksNeverRun() {
        ManualClock clock = new ManualClock();
        List<String> ran = new ArrayList<>();
        Scheduler.Cancellable handle = clock.schedule(Duration.ofSeconds(1), () -> ran.add("x"));

        assertThat(handle.cancel()).isTrue();
        clock.advance(Duration.ofSeconds(2));

        assertThat(ran).isEmpty();
        assertThat(handle.cancel()).isFalse();
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void rejectsNegativeAdvance() {
        ManualClock clock = new ManualClock();
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duration must be >= 0");
    }
}
