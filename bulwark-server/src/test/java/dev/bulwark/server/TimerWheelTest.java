package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The timer wheel on a manual clock: the wheel turns tick by tick in order, so a task that runs proves every earlier
 * tick was handled, and what did not run by then did not fall due.
 */
class TimerWheelTest {
    private final ManualClock clock = new ManualClock();
    private final TimerWheel wheel = new TimerWheel(clock);
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        wheel.close();
    }

    /** Schedules a task that records {@code name} and counts down the returned latch. */
    private CountDownLatch task(String name, Duration delay) {
        CountDownLatch done = new CountDownLatch(1);
        wheel.schedule(delay, () -> {
            ran.add(name);
            done.countDown();
        });
        return done;
    }

    @Test
    void aTaskRunsOnceDueAndNeverEarly() throws Exception {
        CountDownLatch at30 = task("at 30 ms", Duration.ofMillis(30));
        clock.advance(Duration.ofMillis(14));
        CountDownLatch probe = task("probe", Duration.ZERO);
        clock.advance(Duration.ofMillis(2)); // 16 ms: the wheel reaches the probe's tick, not yet 30 ms

        assertThat(probe.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("probe");

        clock.advance(Duration.ofMillis(15)); // 31 ms
        assertThat(at30.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("probe", "at 30 ms");
    }

    @Test
    void aTaskMoreThanOneTurnAwayWaitsForItsTurn() throws Exception {
        CountDownLatch far = task("far", Duration.ofSeconds(6)); // more than two turns of the wheel
        CountDownLatch sameSlotFirstTurn = task("near", Duration.ofSeconds(6).minus(TimerWheel.TICK.multipliedBy(512)));
        clock.advance(Duration.ofSeconds(4));

        assertThat(sameSlotFirstTurn.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("near");

        clock.advance(Duration.ofSeconds(2));
        assertThat(far.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aCancelledTaskNeverRuns() throws Exception {
        CountDownLatch cancelledRan = new CountDownLatch(1);
        var cancelled = wheel.schedule(Duration.ofMillis(20), cancelledRan::countDown);
        CountDownLatch later = task("later", Duration.ofMillis(40));

        assertThat(cancelled.cancel()).isTrue();
        assertThat(cancelled.cancel()).as("only the first cancel prevents it").isFalse();
        clock.advance(Duration.ofMillis(50));

        assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(cancelledRan.getCount()).isEqualTo(1);
    }

    @Test
    void aTaskThatRanCannotBeCancelledAndAThrowingTaskDoesNotStopTheWheel() throws Exception {
        CountDownLatch first = task("first", Duration.ofMillis(5));
        wheel.schedule(Duration.ofMillis(5), () -> {
            throw new IllegalStateException("a broken task");
        });
        CountDownLatch after = task("after", Duration.ofMillis(20));
        var done = wheel.schedule(Duration.ofMillis(10), () -> ran.add("done"));
        clock.advance(Duration.ofMillis(25));

        assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(done.cancel()).isFalse();
        assertThat(ran).containsExactly("first", "done", "after");
    }

    @Test
    void anIdleWheelParksUntilATaskIsScheduledAndRunsItOnTimeAfterALongQuietSpell() throws Exception {
        java.util.concurrent.Semaphore idleSpells = new java.util.concurrent.Semaphore(0);
        TimerWheel sleepy = new TimerWheel(clock, idleSpells::release);
        try {
            assertThat(idleSpells.tryAcquire(5, TimeUnit.SECONDS)).as("parks with nothing to do").isTrue();
            clock.advance(Duration.ofMinutes(10)); // a quiet spell of many turns

            CountDownLatch done = new CountDownLatch(1);
            sleepy.schedule(Duration.ofMillis(30), done::countDown);
            CountDownLatch probe = new CountDownLatch(1);
            sleepy.schedule(Duration.ZERO, probe::countDown);
            clock.advance(Duration.ofMillis(16));
            assertThat(probe.await(5, TimeUnit.SECONDS)).as("woken by the schedule").isTrue();
            assertThat(done.getCount()).as("not early after waking").isEqualTo(1);

            clock.advance(Duration.ofMillis(15));
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(idleSpells.tryAcquire(5, TimeUnit.SECONDS)).as("parks again once nothing is pending").isTrue();
        } finally {
            sleepy.close();
        }
    }

    @Test
    void aWheelHoldingOnlyACancelledTimerParksOnceItsSlotComesRound() throws Exception {
        java.util.concurrent.Semaphore idleSpells = new java.util.concurrent.Semaphore(0);
        TimerWheel sleepy = new TimerWheel(clock, idleSpells::release);
        try {
            assertThat(idleSpells.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
            CountDownLatch ran = new CountDownLatch(1);
            sleepy.schedule(Duration.ofMillis(20), ran::countDown).cancel();
            clock.advance(Duration.ofMillis(30));

            assertThat(idleSpells.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
            assertThat(ran.getCount()).isEqualTo(1);
        } finally {
            sleepy.close();
        }
    }

    @Test
    void aClosedWheelRefusesNewTasks() {
        wheel.close();

        assertThatThrownBy(() -> wheel.schedule(Duration.ofMillis(1), () -> { }))
                .isInstanceOf(RejectedExecutionException.class);
    }
}
