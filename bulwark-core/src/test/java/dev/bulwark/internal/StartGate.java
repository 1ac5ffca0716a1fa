package dev.bulwark.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** The stress tests' harness: N threads released together by one barrier, each awaited with a bound. */
final class StartGate {
    /** One thread's work; {@code thread} runs from 0 to N - 1. */
    @FunctionalInterface
    interface Task {
        void run(int thread) throws Exception;
    }

    private StartGate() {
    }

    /** Runs {@code task} on {@code threads} threads at once and rethrows the first failure. */
    static void runTogether(int threads, Task task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    task.run(thread);
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
