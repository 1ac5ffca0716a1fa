package dev.bulwark.server;

import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The scheduler of the query path's timers (the fan-out's deadline, each adapter's timeout, retries' and hedges'
 * delays): a hashed timer wheel on one daemon thread ({@code bulwark-timer-wheel}). Scheduling is a queue offer and
 * cancelling a compare-and-set, so the Jetty threads that arm and disarm several timers per query never wait on a
 * lock; the system scheduler's heap took a lock twice per timer and, with several timers per query, was a visible
 * share of the gateway's own cost. The price is precision: a task runs up to one {@link #TICK} late, never early.
 * Tasks must be short (they run on the wheel's thread, as {@link Scheduler} says); one that throws is logged.
 * With no timer pending the wheel's thread parks until the next {@link #schedule}, so an idle gateway pays nothing.
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
    private final Thread worker;
    private final long startNanos;
    private final Runnable onIdle;
    private volatile boolean closed;
    /** The worker is parked (or about to park) until a schedule wakes it. */
    private volatile boolean idle;
    /** Timers in the slots, cancelled ones included until their slot comes round; only the worker touches it. */
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
        Timer timer = new Timer(task, clock.nanoTime() - startNanos + Math.min(delayNanos, Long.MAX_VALUE / 2));
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
            expire((int) (tick & (SLOTS - 1)), tick);
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
        if (timer.state.get() != Timer.PENDING) {
            return;
        }
        long dueTick = Math.max(tick, (timer.deadlineNanos + tickNanos - 1) / tickNanos);
        timer.rounds = (dueTick - tick) / SLOTS;
        int slot = (int) (dueTick & (SLOTS - 1));
        timer.next = heads[slot];
        heads[slot] = timer;
        placed++;
    }

    /**
     * Runs the slot's timers that are due, earliest deadline first (timers that fell due while the wheel was late
     * share the slot it caught up in), drops the cancelled ones, and counts the others one turn closer.
     */
    private void expire(int slot, long tick) {
        @Nullable Timer kept = null;
        @Nullable Timer timer = heads[slot];
        while (timer != null) {
            Timer next = timer.next;
            if (timer.state.get() == Timer.PENDING && timer.rounds <= 0) {
                placed--;
                due.add(timer);
            } else if (timer.state.get() == Timer.PENDING) {
                timer.rounds--;
                timer.next = kept;
                kept = timer;
            } else {
                placed--; // cancelled: dropped
            }
            timer = next;
        }
        heads[slot] = kept;
        if (due.size() > 1) {
            due.sort(BY_DEADLINE);
        }
        for (Timer ready : due) {
            ready.next = null;
            if (ready.state.compareAndSet(Timer.PENDING, Timer.RUN)) {
                run(ready.taken());
            }
        }
        due.clear();
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
     * task: a cancelled timer stays in its slot until the wheel comes round to it (up to a turn, or a deadline's whole
     * delay), and its task would keep all it refers to (a query's futures, contexts and answers) alive that long.
     */
    private static final class Timer implements Cancellable {
        static final int PENDING = 0;
        static final int RUN = 1;
        static final int CANCELLED = 2;

        /** Only the winner of the state's one change from PENDING reads or clears it. */
        private @Nullable Runnable task;
        final long deadlineNanos;
        final AtomicInteger state = new AtomicInteger(PENDING);
        long rounds;
        @Nullable Timer next;

        Timer(Runnable task, long deadlineNanos) {
            this.task = task;
            this.deadlineNanos = deadlineNanos;
        }

        /** The task, let go of; only after this timer's state moved from PENDING to RUN. */
        Runnable taken() {
            Runnable run = java.util.Objects.requireNonNull(task);
            task = null;
            return run;
        }

        @Override
        public boolean cancel() {
            if (!state.compareAndSet(PENDING, CANCELLED)) {
                return false;
            }
            task = null;
            return true;
        }
    }
}
