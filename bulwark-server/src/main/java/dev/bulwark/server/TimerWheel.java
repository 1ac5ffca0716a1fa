package dev.bulwark.server;

import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * A cancelled timer leaves its slot at the next tick (cancelling pushes it on a lock-free stack the wheel drains), so
 * under load the wheel holds only the timers still pending, not every timer of the last turn: those outlived young
 * collections and were copied by each. With no timer pending the wheel's thread parks until the next
 * {@link #schedule}, so an idle gateway pays nothing.
 * {@link #sleep} parks the caller as {@link Scheduler#system()} does. This class is thread-safe.
 */
final class TimerWheel implements Scheduler, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TimerWheel.class.getName());
    /** How often the wheel turns: the most a task runs late. */
    static final Duration TICK = Duration.ofMillis(5);
    private static final int SLOTS = 512; // a power of two: one turn is 2.56 s

    private final Clock clock;
    private final long tickNanos = TICK.toNanos();
    private final @Nullable Timer[] heads = new Timer[SLOTS];
    private final ConcurrentLinkedQueue<Timer> added = new ConcurrentLinkedQueue<>();
    /** Timers cancelled since the wheel last looked, linked through {@link Timer#nextCancelled}. */
    private final AtomicReference<@Nullable Timer> cancelled = new AtomicReference<>();
    private final Thread worker;
    private final long startNanos;
    private final Runnable onIdle;
    private volatile boolean closed;
    /** The worker is parked (or about to park) until a schedule wakes it. */
    private volatile boolean idle;
    /** Timers in the slots (cancelled ones until the next tick); only the worker touches it. */
    private int placed;
    /** The timers of the slot being expired that fell due; only the worker touches it. */
    private final java.util.ArrayList<Timer> due = new java.util.ArrayList<>();
    private static final java.util.Comparator<Timer> BY_DEADLINE = java.util.Comparator.comparingLong(timer -> timer.deadlineNanos);

    TimerWheel(Clock clock) {
        this(clock, () -> { });
    }

    /** A wheel that calls {@code onIdle} on its thread each time it runs out of timers and is about to park. */
    TimerWheel(Clock clock, Runnable onIdle) {
        this.clock = clock;
        this.onIdle = onIdle;
        this.startNanos = clock.nanoTime();
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
        if (idle) {
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
        long tick = 0;
        while (!closed) {
            if (placed == 0 && added.isEmpty()) {
                tick = Math.max(tick, awaitWork());
            }
            long due = (tick + 1) * tickNanos;
            for (long now = clock.nanoTime() - startNanos; now < due && !closed; now = clock.nanoTime() - startNanos) {
                LockSupport.parkNanos(this, due - now);
            }
            tick++;
            for (Timer timer = added.poll(); timer != null; timer = added.poll()) {
                place(timer, tick);
            }
            removeCancelled();
            expire((int) (tick & (SLOTS - 1)));
        }
    }

    /**
     * Parks until a timer is scheduled or the wheel closes; returns the tick before the one it woke in: no timer is
     * placed, so the wheel skips the ticks it slept through, and the next turn handles the current tick at once (a
     * timer that fell due while the wheel was waking runs then, not a tick later).
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
        return Math.max(0, (clock.nanoTime() - startNanos) / tickNanos - 1);
    }

    /** Puts a new timer into the slot of the tick it falls due at (the current one if already due). */
    private void place(Timer timer, long tick) {
        if (timer.state() != Timer.PENDING) {
            return;
        }
        long dueTick = Math.max(tick, (timer.deadlineNanos + tickNanos - 1) / tickNanos);
        timer.rounds = (dueTick - tick) / SLOTS;
        int slot = (int) (dueTick & (SLOTS - 1));
        Timer first = heads[slot];
        timer.next = first;
        if (first != null) {
            first.previous = timer;
        }
        heads[slot] = timer;
        timer.slot = slot;
        placed++;
    }

    /** Takes the timers cancelled since the last tick out of their slots. */
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
     * Runs the slot's timers that are due, earliest deadline first (timers that fell due while the wheel was late
     * share the slot it caught up in), drops any cancelled since {@link #removeCancelled}, and counts the others one
     * turn closer.
     */
    private void expire(int slot) {
        @Nullable Timer timer = heads[slot];
        while (timer != null) {
            Timer next = timer.next;
            int state = timer.state();
            if (state == Timer.PENDING && timer.rounds > 0) {
                timer.rounds--;
            } else {
                unlink(timer);
                if (state == Timer.PENDING) {
                    due.add(timer);
                }
            }
            timer = next;
        }
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
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Timer.class, "state", int.class);
            } catch (ReflectiveOperationException impossible) {
                throw new ExceptionInInitializerError(impossible);
            }
        }

        private final TimerWheel wheel;
        /** Only the winner of the state's one change from PENDING reads or clears it. */
        private @Nullable Runnable task;
        final long deadlineNanos;
        private volatile int state = PENDING;
        long rounds;
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
