package dev.bulwark.time;

import java.time.Duration;

/**
 * Runs a task after a delay. Retries, hedges, health polling and timed state changes wait through a
 * scheduler rather than sleeping a thread, so tests drive them with {@link ManualClock#advance}.
 *
 * <p>Implementations must be thread-safe. Tasks must be short: a scheduler runs them on its own
 * thread (the system scheduler) or on the thread that advances a manual clock.
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
     * A scheduler on one shared daemon thread, reading {@link Clock#system()}. The thread only
     * starts the tasks; a task that must block should hand its work to an executor.
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
