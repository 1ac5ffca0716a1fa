package dev.bulwark.time;

import java.time.Duration;

/**
 * Runs a task after a delay. Retries, hedges, health polling and timed state changes wait through a
 * scheduler rather than sleeping a thread, so tests drive them with {@link ManualClock#advance}.
 *
 * <p>Implementations must be thread-safe. Where a task runs is the implementation's: the system
 * scheduler runs each on a pooled worker thread, a manual clock on the thread that advances it.
 */
public interface Scheduler {

    /**
     * Runs {@code task} once, {@code delay} from now.
     *
     * @return a handle that cancels the task if it has not started
     * @throws java.util.concurrent.RejectedExecutionException if the scheduler is shut down
     */
    Cancellable schedule(Duration delay, Runnable task);

    /**
     * Blocks the calling thread for {@code duration}: how a synchronous retry or rate limiter waits.
     * The system scheduler parks the thread; {@link ManualClock} advances itself instead, so a
     * synchronous wait in a test takes no real time and runs the tasks that fall due.
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * The shared scheduler, reading {@link Clock#system()}: one daemon thread keeps time and hands
     * each due task to a cached pool of daemon threads ({@code bulwark-scheduled-N}, started as
     * needed, ended after 60 s idle), so a task that blocks holds up no other task. A
     * task that throws is logged.
     */
    static Scheduler system() {
        return SystemScheduler.INSTANCE;
    }

    /** A scheduled task that can be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /**
         * Cancels the task if it has not run yet.
         *
         * @return true if this call prevented the task from running
         */
        boolean cancel();
    }
}
