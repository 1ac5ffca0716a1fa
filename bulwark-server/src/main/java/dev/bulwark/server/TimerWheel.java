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
    private volatile boolean closed;

    TimerWheel(Clock clock) {
        this.clock = clock;
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
    }

    /** Runs the slot's timers that are due, drops the cancelled ones, and counts the others one turn closer. */
    private void expire(int slot, long tick) {
        @Nullable Timer kept = null;
        @Nullable Timer timer = heads[slot];
        while (timer != null) {
            Timer next = timer.next;
            if (timer.state.get() == Timer.PENDING && timer.rounds <= 0) {
                if (timer.state.compareAndSet(Timer.PENDING, Timer.RUN)) {
                    run(timer.task);
                }
            } else if (timer.state.get() == Timer.PENDING) {
                timer.rounds--;
                timer.next = kept;
                kept = timer;
            }
            timer = next;
        }
        heads[slot] = kept;
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error failed) {
            LOG.log(System.Logger.Level.ERROR, "a timer task failed", failed);
        }
    }

    /** One scheduled task; pending until it runs or is cancelled, whichever comes first. */
    private static final class Timer implements Cancellable {
        static final int PENDING = 0;
        static final int RUN = 1;
        static final int CANCELLED = 2;

        final Runnable task;
        final long deadlineNanos;
        final AtomicInteger state = new AtomicInteger(PENDING);
        long rounds;
        @Nullable Timer next;

        Timer(Runnable task, long deadlineNanos) {
            this.task = task;
            this.deadlineNanos = deadlineNanos;
        }

        @Override
        public boolean cancel() {
            return state.compareAndSet(PENDING, CANCELLED);
        }
    }
}
