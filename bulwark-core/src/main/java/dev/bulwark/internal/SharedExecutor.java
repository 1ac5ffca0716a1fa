package dev.bulwark.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor synchronous timeouts and hedges run their calls on when none is given: one cached pool shared by
 * the whole JVM, of daemon threads named {@code bulwark-sync-N}, created on demand and ended after 60 s idle, so it
 * never keeps the JVM alive and costs nothing while unused. Give a component its own executor to bound or isolate it.
 */
public final class SharedExecutor {
    private SharedExecutor() {
    }

    /** The shared executor. Shutting it down is refused. */
    public static ExecutorService get() {
        return Holder.POOL;
    }

    private static final class Holder {
        private static final AtomicInteger COUNT = new AtomicInteger();
        static final ExecutorService POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), task -> {
                    Thread thread = new Thread(task, "bulwark-sync-" + COUNT.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }) {
            @Override
            public void shutdown() {
                throw new UnsupportedOperationException("Bulwark's shared executor is not shut down by its users");
            }

            @Override
            public java.util.List<Runnable> shutdownNow() {
                throw new UnsupportedOperationException("Bulwark's shared executor is not shut down by its users");
            }
        };
    }
}
