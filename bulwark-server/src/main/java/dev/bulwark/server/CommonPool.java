package dev.bulwark.server;

import java.util.concurrent.ForkJoinPool;

/**
 * Keeps the JDK's {@code HttpClient} from starting a thread per response on small machines.
 *
 * <p>{@code HttpClient.sendAsync} hands every completed exchange to {@code CompletableFuture}'s default executor.
 * With fewer than three processors the common pool has a parallelism of one, and that executor becomes
 * "a new thread per task": on a 2-core machine the gateway spent most of its time creating threads (about 4x
 * fewer requests per second in the load check, when the adapters still used that client). A common pool of at least
 * two workers avoids that; the JDK client now serves the webhooks, HTTP health checks and failover probes, and the
 * pool runs the queue_for_later fallback ({@link OffLoopFallback}).
 */
final class CommonPool {
    static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private CommonPool() {
    }

    /** Asks for a common pool of at least two workers, unless the user chose a size; call before the pool exists. */
    static void ensureParallel() {
        if (System.getProperty(PARALLELISM) == null && Runtime.getRuntime().availableProcessors() < 3) {
            System.setProperty(PARALLELISM, "2");
        }
    }

    /** Whether {@code CompletableFuture}'s default executor is the common pool rather than a thread per task. */
    static boolean isParallel() {
        return ForkJoinPool.getCommonPoolParallelism() > 1;
    }
}
