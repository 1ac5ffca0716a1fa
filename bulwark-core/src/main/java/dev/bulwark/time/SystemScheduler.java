package dev.bulwark.time;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared scheduler behind {@link Scheduler#system()}. One daemon thread, {@code bulwark-scheduler}, keeps time and
 * only hands each due task to a cached pool of daemon threads ({@code bulwark-scheduled-N}, started when none is free,
 * ended after 60 s idle), so a task that blocks (a health check, a retried call, a fallback run as a timeout fires)
 * holds up no other task. Cancelled tasks leave the queue at once; a task that throws is logged and its thread lives
 * on.
 */
final class SystemScheduler implements Scheduler {
    static final SystemScheduler INSTANCE = new SystemScheduler();

    private static final System.Logger LOG = System.getLogger(SystemScheduler.class.getName());

    private final ScheduledThreadPoolExecutor timekeeper;
    private final ThreadPoolExecutor workers;

    private SystemScheduler() {
        timekeeper = new ScheduledThreadPoolExecutor(1, runnable -> daemon(runnable, "bulwark-scheduler"));
        timekeeper.setRemoveOnCancelPolicy(true);
        AtomicInteger started = new AtomicInteger();
        workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> daemon(runnable, "bulwark-scheduled-" + started.incrementAndGet()));
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Runnable handOver = () -> workers.execute(() -> runLogged(task));
        ScheduledFuture<?> future = timekeeper.schedule(handOver, Math.max(0, saturatedNanos(delay)),
                TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    private static void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error failed) {
            LOG.log(System.Logger.Level.ERROR, "a scheduled task failed", failed);
        }
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
