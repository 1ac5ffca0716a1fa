package dev.bulwark.time;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The shared scheduler behind {@link Scheduler#system()}: one daemon thread, cancelled tasks removed at once. */
final class SystemScheduler implements Scheduler {
    static final SystemScheduler INSTANCE = new SystemScheduler();

    private final ScheduledThreadPoolExecutor executor;

    private SystemScheduler() {
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "bulwark-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> future = executor.schedule(task, Math.max(0, saturatedNanos(delay)), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Clock clock = Clock.system();
        long deadline = clock.nanoTime() + Math.max(0, saturatedNanos(duration));
        for (long left = deadline - clock.nanoTime(); left > 0; left = deadline - clock.nanoTime()) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(this, left);
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while waiting");
        }
    }

    static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException overflow) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "Scheduler.system()";
    }
}
