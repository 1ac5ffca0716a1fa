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
    /** Released each time {@link #sleepy} runs out of timers and is about to park. */
    private final java.util.concurrent.Semaphore idleSpells = new java.util.concurrent.Semaphore(0);
    private final TimerWheel sleepy = new TimerWheel(clock, idleSpells::release);

    @AfterEach
    void stop() {
        wheel.close();
        sleepy.close();
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
    void aCancelledTimerLetsGoOfItsTaskAtOnceNotWhenItsSlotComesRound() {
        var timer = scheduleHolding(Duration.ofSeconds(5));
        assertThat(timer.cancel()).isTrue();

        // the timer itself still waits in the wheel (the clock never moves); only its task must be unreachable
        for (int attempt = 0; attempt < 10 && payloads.get(0).get() != null; attempt++) {
            System.gc();
        }
        assertThat(payloads.get(0).get()).as("the cancelled task's payload, after full collections").isNull();
        assertThat(ran).isEmpty();
    }

    private final List<java.lang.ref.WeakReference<Object>> payloads = new CopyOnWriteArrayList<>();

    /** Schedules a task that alone refers to a 1 MiB payload (a query's futures and answers, say); notes a weak reference. */
    private dev.bulwark.time.Scheduler.Cancellable scheduleHolding(Duration delay) {
        Object payload = new byte[1 << 20];
        payloads.add(new java.lang.ref.WeakReference<>(payload));
        return wheel.schedule(delay, () -> ran.add(String.valueOf(payload.hashCode())));
    }

    @Test
    void timersThatFellDueWhileTheWheelWasLateRunEarliestDeadlineFirst() throws Exception {
        CountDownLatch aboutToPark = new CountDownLatch(1);
        CountDownLatch carryOn = new CountDownLatch(1);
        TimerWheel late = new TimerWheel(clock, () -> {
            aboutToPark.countDown();
            awaitQuietly(carryOn);
        });
        try {
            assertThat(aboutToPark.await(5, TimeUnit.SECONDS)).isTrue();
            List<String> order = new CopyOnWriteArrayList<>();
            CountDownLatch all = new CountDownLatch(3);
            for (int millis : new int[] {20, 5, 10}) {
                late.schedule(Duration.ofMillis(millis), () -> {
                    order.add(millis + " ms");
                    all.countDown();
                });
            }
            clock.advance(Duration.ofMillis(25)); // all three are overdue when the wheel wakes
            carryOn.countDown();

            assertThat(all.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(order).containsExactly("5 ms", "10 ms", "20 ms");
        } finally {
            late.close();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
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
    }

    @Test
    void aWheelHoldingOnlyACancelledTimerParksOnceItsSlotComesRound() throws Exception {
        assertThat(idleSpells.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
        CountDownLatch ran = new CountDownLatch(1);
        sleepy.schedule(Duration.ofMillis(20), ran::countDown).cancel();
        clock.advance(Duration.ofMillis(30));

        assertThat(idleSpells.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran.getCount()).isEqualTo(1);
    }

    @Test
    void aCancelledTimerLeavesTheWheelWithinTheHousekeepingSpanNotWhenItsSlotComesRound() throws Exception {
        assertThat(idleSpells.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
        CountDownLatch farRan = new CountDownLatch(1);
        var far = sleepy.schedule(Duration.ofSeconds(5), farRan::countDown);
        CountDownLatch probe = new CountDownLatch(1);
        sleepy.schedule(Duration.ZERO, probe::countDown);
        clock.advance(TimerWheel.TICK);
        assertThat(probe.await(5, TimeUnit.SECONDS)).as("the tick that placed both has passed").isTrue();
        assertThat(idleSpells.availablePermits()).as("the 5 s timer is pending: no idle spell").isZero();

        assertThat(far.cancel()).isTrue();
        clock.advance(TimerWheel.HOUSEKEEPING);

        assertThat(idleSpells.tryAcquire(5, TimeUnit.SECONDS))
                .as("the wheel is empty one housekeeping span later, 5 s before the cancelled timer's slot").isTrue();
        assertThat(farRan.getCount()).isEqualTo(1);
        CountDownLatch after = new CountDownLatch(1);
        sleepy.schedule(Duration.ofMillis(20), after::countDown);
        clock.advance(Duration.ofMillis(30));
        assertThat(after.await(5, TimeUnit.SECONDS)).as("and keeps running what comes after").isTrue();
    }

    @Test
    void aTimerThatReachesTheWheelAfterItsTickWasHandledRunsWithoutWaitingForTheNextTick() throws Exception {
        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        wheel.schedule(Duration.ofMillis(10), () -> {
            blocking.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        });
        clock.advance(Duration.ofMillis(10)); // the wheel handles this tick and stays inside its first task
        assertThat(blocking.await(5, TimeUnit.SECONDS)).isTrue();

        CountDownLatch dueNow = task("due now", Duration.ZERO); // due in the tick being handled
        release.countDown();

        assertThat(dueNow.await(5, TimeUnit.SECONDS)).as("runs with the clock standing still, not a tick later").isTrue();
    }

    @Test
    void timersCancelledFromManyThreadsWhileTheWheelTurnsRunOnlyIfTheCancelCameTooLateAndTheRestRunOnce()
            throws Exception {
        int threads = 8;
        int perThread = 2_000;
        java.util.concurrent.atomic.AtomicInteger cancelledRuns = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger keptRuns = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger lateCancels = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        if (i % 100 == 0) {
                            clock.advance(Duration.ofMillis(1)); // the wheel turns while timers come and go
                        }
                        Duration delay = Duration.ofMillis(i % 40);
                        var doomed = wheel.schedule(delay, cancelledRuns::incrementAndGet);
                        wheel.schedule(delay, keptRuns::incrementAndGet);
                        if (!doomed.cancel()) {
                            lateCancels.incrementAndGet(); // it ran (or was starting) first
                        }
                    }
                    return null;
                }));
            }
            for (var each : done) {
                each.get(30, TimeUnit.SECONDS);
            }
            CountDownLatch last = task("last", Duration.ofMillis(50));
            clock.advance(Duration.ofMillis(60));
            assertThat(last.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(cancelledRuns).as("cancelled in time: never ran; too late: ran once").hasValue(lateCancels.get());
            assertThat(lateCancels.get()).as("most cancels come before the tick").isLessThan(threads * perThread / 2);
            assertThat(keptRuns).hasValue(threads * perThread);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void withOnlyDistantTimersPendingTheWheelSleepsTheHousekeepingSpanAndANearTimerWakesItForItsTick()
            throws Exception {
        java.util.concurrent.BlockingQueue<Long> sleeps = new java.util.concurrent.LinkedBlockingQueue<>();
        TimerWheel planned = new TimerWheel(clock, () -> { }, sleeps::add);
        try {
            planned.schedule(Duration.ofSeconds(5), () -> { });
            long housekeeping = TimerWheel.HOUSEKEEPING.toNanos();
            long tick = TimerWheel.TICK.toNanos();
            assertThat(sleeps.poll(5, TimeUnit.SECONDS)).as("not a tick: the 5 s timer is not due")
                    .isBetween(housekeeping - 2 * tick, housekeeping);

            CountDownLatch near = new CountDownLatch(1);
            planned.schedule(Duration.ofMillis(20), near::countDown);
            long untilNear = Long.MAX_VALUE;
            for (Long sleep = sleeps.poll(5, TimeUnit.SECONDS); sleep != null && untilNear > housekeeping / 2;
                    sleep = sleeps.poll(5, TimeUnit.SECONDS)) {
                untilNear = sleep; // sleeps planned before the schedule was seen may come first
            }
            assertThat(untilNear).as("woken by the schedule, it sleeps until the 20 ms timer's tick")
                    .isBetween(Duration.ofMillis(20).toNanos() - tick, Duration.ofMillis(20).toNanos() + tick);
            clock.advance(Duration.ofMillis(25));
            assertThat(near.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            planned.close();
        }
    }

    @Test
    void aClosedWheelRefusesNewTasks() {
        wheel.close();

        assertThatThrownBy(() -> wheel.schedule(Duration.ofMillis(1), () -> { }))
                .isInstanceOf(RejectedExecutionException.class);
    }
}
