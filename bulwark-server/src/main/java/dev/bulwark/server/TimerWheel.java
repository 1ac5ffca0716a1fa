package dev.bulwark.server;

import dev.bulwark.internal.VarHandles;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The scheduler of the query path's timers (the fan-out's deadline, each adapter's timeout, retries' and hedges'
 * delays): a hashed timer wheel on one daemon thread ({@code bulwark-timer-wheel}). Scheduling is a queue offer and
 * cancelling a compare-and-set, so the Jetty threads that arm and disarm several timers per query never wait on a
 * lock; the system scheduler's heap took a lock twice per timer and, with several timers per query, was a visible
 * share of the gateway's own cost. The price is precision: a task runs up to one {@link #TICK} late, never early.
 * Tasks must be short (they run on the wheel's thread, as {@link Scheduler} says); one that throws is logged.
 *
 * <p>The wheel's thread wakes only when a timer falls due, or every {@link #HOUSEKEEPING} at the latest, not at
 * every tick: most of the query path's timers are cancelled long before they fall due (a 5 s timeout on a call that
 * answers in milliseconds), and waking 200 times a second to find nothing due cost the gateway a context switch
 * each time. A schedule wakes the thread only when its timer falls due before the thread's planned wake-up. The
 * housekeeping wake-ups take the timers scheduled and cancelled since the last one out of the queues: a cancelled
 * timer leaves the wheel within {@link #HOUSEKEEPING} (most never enter a slot at all), so under load the wheel holds
 * only the timers still pending, not every timer of the last turn: those outlived young collections and were copied
 * by each. With no timer pending the thread parks until the next {@link #schedule}, so an idle gateway pays nothing.
 * {@link #sleep} parks the caller as {@link Scheduler#system()} does. This class is thread-safe.
 */
final class TimerWheel implements Scheduler, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TimerWheel.class.getName());
    /** How often the wheel turns: the most a task runs late. */
    static final Duration TICK = Duration.ofMillis(5);
    private static final int SLOTS = 512; // a power of two: one turn is 2.56 s
    /** The longest the wheel's thread sleeps while timers are pending: how long a cancelled timer may stay. */
    static final Duration HOUSEKEEPING = Duration.ofMillis(50);

    private final Clock clock;
    private final long tickNanos = TICK.toNanos();
    private final @Nullable Timer[] heads = new Timer[SLOTS];
    private final ConcurrentLinkedQueue<Timer> added = new ConcurrentLinkedQueue<>();
    /** Timers cancelled since the wheel last looked, linked through {@link Timer#nextCancelled}. */
    private final AtomicReference<@Nullable Timer> cancelled = new AtomicReference<>();
    private final Thread worker;
    private final long startNanos;
    private final Runnable onIdle;
    private final java.util.function.LongConsumer onSleep;
    private volatile boolean closed;
    /** The worker is parked (or about to park) until a schedule wakes it. */
    private volatile boolean idle;
    /** The tick the worker plans to wake at; a timer due before it wakes the worker. */
    private volatile long wakeTick;
    private final long housekeepingTicks;
    /** Timers in the slots (cancelled ones until the next wake-up); only the worker touches it. */
    private int placed;
    /** The timers of the slot being expired that fell due; only the worker touches it. */
    private final java.util.ArrayList<Timer> due = new java.util.ArrayList<>();
    private static final java.util.Comparator<Timer> BY_DEADLINE = java.util.Comparator.comparingLong(timer -> timer.deadlineNanos);

    TimerWheel(Clock clock) {
        this(clock, () -> { });
    }

    /** A wheel that calls {@code onIdle} on its thread each time it runs out of timers and is about to park. */
    TimerWheel(Clock clock, Runnable onIdle) {
        this(clock, onIdle, sleepNanos -> { });
    }

    /**
     * As above; the wheel's thread also calls {@code onSleep} with how long (by {@code clock}) it is about to sleep
     * while timers are pending, each time it does.
     */
    TimerWheel(Clock clock, Runnable onIdle, java.util.function.LongConsumer onSleep) {
        this.clock = clock;
        this.onIdle = onIdle;
        this.onSleep = onSleep;
        this.startNanos = clock.nanoTime();
        this.housekeepingTicks = Math.max(1, HOUSEKEEPING.toNanos() / tickNanos);
        worker = new Thread(this::turn, "bulwark-timer-wheel");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        if (closed) {
            throw new RejectedExecutionException("the timer wheel is closed");
        }
        long delayNanos;
        try {
            delayNanos = Math.max(0, delay.toNanos());
        } catch (ArithmeticException overflow) {
            delayNanos = delay.isNegative() ? 0 : Long.MAX_VALUE / 2;
        }
        Timer timer = new Timer(this, task, clock.nanoTime() - startNanos + Math.min(delayNanos, Long.MAX_VALUE / 2));
        added.offer(timer);
        // read after the offer: the worker publishes its plan before it last looks at the queue (see turn)
        if (idle || timer.dueTick(tickNanos) < wakeTick) {
            LockSupport.unpark(worker);
        }
        return timer;
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Scheduler.system().sleep(duration);
    }

    /** Stops the wheel; tasks not yet run never run. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(worker);
    }

    private void turn() {
        long next = 1; // the next tick to handle: its timers run once the clock reaches its start
        while (!closed) {
            if (placed == 0 && added.isEmpty()) {
                next = Math.max(next, awaitWork());
            }
            placeAdded(next);
            removeCancelled();
            for (long current = elapsed() / tickNanos; next <= current && !closed; next++) {
                expire(next);
            }
            long wake = Math.min(nextDue(next), next + housekeepingTicks - 1);
            wakeTick = wake;
            // a schedule that read the plan before it was published did not wake us: place its timer now
            wake = Math.min(wake, placeAdded(next));
            wakeTick = wake;
            long sleep = wake * tickNanos - elapsed();
            if (sleep > 0 && !closed) {
                onSleep.accept(sleep);
                LockSupport.parkNanos(this, sleep);
            }
        }
    }

    private long elapsed() {
        return clock.nanoTime() - startNanos;
    }

    /**
     * Parks until a timer is scheduled or the wheel closes; returns the tick it woke in: no timer is placed, so the
     * wheel skips the ticks it slept through and handles the current one at once (a timer that fell due while the
     * wheel was waking runs then, not a tick later).
     */
    private long awaitWork() {
        idle = true; // then look at the queue again: a schedule that missed the flag is seen here, and vice versa
        if (added.isEmpty() && !closed) {
            run(onIdle);
            while (added.isEmpty() && !closed) {
                LockSupport.park(this);
            }
        }
        idle = false;
        return elapsed() / tickNanos;
    }

    /**
     * Places the timers scheduled since the last look; returns the earliest tick one of them is due at. A timer whose
     * tick the wheel has already handled (it was scheduled, or reached the wheel, after its tick passed) runs now:
     * placed in the next tick's slot it would wait for that tick to start, later than its deadline by up to a tick
     * more than the wheel's own lag.
     */
    private long placeAdded(long next) {
        long earliest = Long.MAX_VALUE;
        for (Timer timer = added.poll(); timer != null; timer = added.poll()) {
            if (timer.state() != Timer.PENDING) {
                continue;
            }
            if (timer.dueTick(tickNanos) < next) {
                due.add(timer);
            } else {
                earliest = Math.min(earliest, place(timer, next));
            }
        }
        runDue();
        return earliest;
    }

    /** Puts a timer into the slot of the tick it falls due at (the next tick to handle if already due); returns it. */
    private long place(Timer timer, long next) {
        long due = Math.max(next, timer.dueTick(tickNanos));
        timer.dueTick = due;
        int slot = (int) (due & (SLOTS - 1));
        Timer first = heads[slot];
        timer.next = first;
        if (first != null) {
            first.previous = timer;
        }
        heads[slot] = timer;
        timer.slot = slot;
        placed++;
        return due;
    }

    /** The first tick from {@code next} on, within the housekeeping span, at which a placed timer falls due. */
    private long nextDue(long next) {
        for (long tick = next; tick < next + housekeepingTicks; tick++) {
            for (Timer timer = heads[(int) (tick & (SLOTS - 1))]; timer != null; timer = timer.next) {
                if (timer.dueTick <= tick) {
                    return tick;
                }
            }
        }
        return Long.MAX_VALUE;
    }

    /** Takes the timers cancelled since the last wake-up out of their slots. */
    private void removeCancelled() {
        for (Timer timer = cancelled.getAndSet(null); timer != null; ) {
            Timer next = timer.nextCancelled;
            timer.nextCancelled = null;
            unlink(timer); // a timer never placed, or already taken out by expire, is in no slot
            timer = next;
        }
    }

    /** Takes {@code timer} out of its slot, if it is in one. */
    private void unlink(Timer timer) {
        if (timer.slot < 0) {
            return;
        }
        Timer previous = timer.previous;
        Timer next = timer.next;
        if (previous == null) {
            heads[timer.slot] = next;
        } else {
            previous.next = next;
        }
        if (next != null) {
            next.previous = previous;
        }
        timer.previous = null;
        timer.next = null;
        timer.slot = -1;
        placed--;
    }

    /**
     * Runs the timers due at {@code tick}, earliest deadline first (timers that fell due while the wheel was late
     * share the tick it caught up in), and drops any cancelled since {@link #removeCancelled}; timers of later turns
     * stay in the slot.
     */
    private void expire(long tick) {
        @Nullable Timer timer = heads[(int) (tick & (SLOTS - 1))];
        while (timer != null) {
            Timer next = timer.next;
            int state = timer.state();
            if (state != Timer.PENDING || timer.dueTick <= tick) {
                unlink(timer);
                if (state == Timer.PENDING) {
                    due.add(timer);
                }
            }
            timer = next;
        }
        runDue();
    }

    /** Runs the timers collected in {@link #due}, earliest deadline first, unless cancelled meanwhile. */
    private void runDue() {
        if (due.size() > 1) {
            due.sort(BY_DEADLINE);
        }
        for (Timer ready : due) {
            if (ready.markRun()) {
                run(ready.taken());
            }
        }
        due.clear();
    }

    private void pushCancelled(Timer timer) {
        Timer head;
        do {
            head = cancelled.get();
            timer.nextCancelled = head;
        } while (!cancelled.compareAndSet(head, timer));
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error failed) {
            LOG.log(System.Logger.Level.ERROR, "a timer task failed", failed);
        }
    }

    /**
     * One scheduled task; pending until it runs or is cancelled, whichever comes first. Whichever wins lets go of the
     * task at once (a query's futures, contexts and answers); a cancelled timer leaves its slot at the wheel's next
     * tick. Its links and slot are the wheel thread's alone.
     */
    private static final class Timer implements Cancellable {
        static final int PENDING = 0;
        static final int RUN = 1;
        static final int CANCELLED = 2;
        private static final VarHandle STATE = VarHandles.field(MethodHandles.lookup(), "state", int.class);

        private final TimerWheel wheel;
        /** Only the winner of the state's one change from PENDING reads or clears it. */
        private @Nullable Runnable task;
        final long deadlineNanos;
        private volatile int state = PENDING;
        /** The tick it runs in, once placed; only the wheel's thread touches it. */
        long dueTick;
        int slot = -1;
        @Nullable Timer next;
        @Nullable Timer previous;
        @Nullable Timer nextCancelled;

        Timer(TimerWheel wheel, Runnable task, long deadlineNanos) {
            this.wheel = wheel;
            this.task = task;
            this.deadlineNanos = deadlineNanos;
        }

        int state() {
            return state;
        }

        /** The first tick that starts at or after its deadline. */
        long dueTick(long tickNanos) {
            return (deadlineNanos + tickNanos - 1) / tickNanos;
        }

        /** Whether this timer was still pending and now runs (never after a cancel). */
        boolean markRun() {
            return STATE.compareAndSet(this, PENDING, RUN);
        }

        /** The task, let go of; only after {@link #markRun()} said yes. */
        Runnable taken() {
            Runnable run = java.util.Objects.requireNonNull(task);
            task = null;
            return run;
        }

        @Override
        public boolean cancel() {
            if (!STATE.compareAndSet(this, PENDING, CANCELLED)) {
                return false;
            }
            task = null;
            wheel.pushCancelled(this);
            return true;
        }
    }
}
