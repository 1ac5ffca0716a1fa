package dev.bulwark.time;

import java.time.Duration;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A clock that moves only when told to, and a scheduler that runs its tasks as the clock passes
 * their due time. Tests of time-dependent code use it instead of sleeping; it is public so that
 * users can test their own code against Bulwark the same way.
 *
 * <p>{@link #advance(Duration)} runs every task that falls due, in due order, each with the clock
 * set to that task's due time, on the calling thread. Tasks scheduled by those tasks run too if they
 * fall due within the advance. Advances made at the same time from different threads add up: each
 * moves the clock {@code duration} beyond where the advances already under way will take it, so the
 * reading after them does not depend on how they interleaved. A task that advances the clock itself
 * (a task that {@linkplain #sleep sleeps}) moves it on from that task's due time.
 *
 * <p>The monotonic reading starts at an arbitrary value (by default close to {@code Long.MAX_VALUE}, so
 * that code which compares nanoTime readings with {@code <} instead of subtracting them fails
 * its tests). This class is thread-safe.
 */
public final class ManualClock implements Clock, Scheduler {

    /** Default starting reading: three hours before the long range wraps. */
    public static final long DEFAULT_START_NANOS = Long.MAX_VALUE - Duration.ofHours(3).toNanos();

    /** Default wall-clock start: 2026-01-01T00:00:00Z. */
    public static final long DEFAULT_START_WALL_MILLIS = 1_767_225_600_000L;

    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private volatile long nanos;
    private final long wallMillisAtStart;
    private final long startNanos;
    private long sequence;
    private long furthestTarget; // guarded by lock: the reading the advances under way are heading for
    private final ThreadLocal<Boolean> runningTask = new ThreadLocal<>();

    /** A clock at {@link #DEFAULT_START_NANOS} and {@link #DEFAULT_START_WALL_MILLIS}. */
    public ManualClock() {
        this(DEFAULT_START_NANOS, DEFAULT_START_WALL_MILLIS);
    }

    /** A clock whose readings start at the given values. */
    public ManualClock(long startNanos, long startWallMillis) {
        this.nanos = startNanos;
        this.startNanos = startNanos;
        this.furthestTarget = startNanos;
        this.wallMillisAtStart = startWallMillis;
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long wallMillis() {
        return wallMillisAtStart + Math.floorDiv(nanos - startNanos, 1_000_000L);
    }

    /**
     * Moves the clock forward, running the tasks that fall due on the way.
     *
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must be >= 0, was " + duration);
        }
        advanceNanos(SystemScheduler.saturatedNanos(duration));
    }

    /** Moves the clock forward by {@code delta} nanoseconds, running the tasks that fall due on the way. */
    public void advanceNanos(long delta) {
        if (delta < 0) {
            throw new IllegalArgumentException("delta must be >= 0, was " + delta);
        }
        long target = claimTarget(delta);
        while (true) {
            Task next;
            lock.lock();
            try {
                next = tasks.peek();
                if (next == null || next.dueNanos - target > 0) {
                    if (target - nanos > 0) {
                        nanos = target; // never backwards: a task may have advanced the clock itself (sleep)
                    }
                    return;
                }
                tasks.poll();
                next.started = true;
                if (next.dueNanos - nanos > 0) {
                    nanos = next.dueNanos;
                }
            } finally {
                lock.unlock();
            }
            runAsTask(next);
        }
    }

    private long claimTarget(long delta) {
        lock.lock();
        try {
            boolean nested = runningTask.get() != null;
            long from = nested || nanos - furthestTarget > 0 ? nanos : furthestTarget;
            long target = from + delta;
            if (target - furthestTarget > 0) {
                furthestTarget = target;
            }
            return target;
        } finally {
            lock.unlock();
        }
    }

    private void runAsTask(Task task) {
        boolean outermost = runningTask.get() == null;
        runningTask.set(Boolean.TRUE);
        try {
            task.runIfNotCancelled();
        } finally {
            if (outermost) {
                runningTask.remove();
            }
        }
    }

    /** Runs the tasks already due without moving the clock. */
    public void runDueTasks() {
        advanceNanos(0);
    }

    /** The number of scheduled tasks that have neither run nor been cancelled. */
    public int pendingTasks() {
        lock.lock();
        try {
            return (int) tasks.stream().filter(task -> !task.cancelled).count();
        } finally {
            lock.unlock();
        }
    }

    /** Advances the clock by {@code duration}: the sleeper's time passes at once, due tasks run. */
    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before waiting");
        }
        advance(duration.isNegative() ? Duration.ZERO : duration);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        long delayNanos = Math.max(0, SystemScheduler.saturatedNanos(delay));
        lock.lock();
        try {
            Task scheduled = new Task(nanos + delayNanos, sequence++, task);
            tasks.add(scheduled);
            return scheduled;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "ManualClock[nanos=" + nanos + ", pendingTasks=" + pendingTasks() + "]";
    }

    private final class Task implements Comparable<Task>, Cancellable {
        final long dueNanos;
        final long order;
        final Runnable action;
        volatile boolean cancelled;
        boolean started; // guarded by lock

        Task(long dueNanos, long order, Runnable action) {
            this.dueNanos = dueNanos;
            this.order = order;
            this.action = action;
        }

        void runIfNotCancelled() {
            if (!cancelled) {
                action.run();
            }
        }

        @Override
        public boolean cancel() {
            lock.lock();
            try {
                if (started || cancelled) {
                    return false;
                }
                cancelled = true;
                tasks.remove(this);
                return true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int compareTo(Task other) {
            int byTime = Long.compare(dueNanos - other.dueNanos, 0);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }
}
