package dev.bulwark.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** Small helpers for the asynchronous paths of the policies. */
public final class Futures {
    private Futures() {
    }

    /**
     * Runs {@code work} on {@code executor}; cancelling the returned future interrupts the work if it has
     * started and stops it from starting if it has not.
     */
    public static <T> CompletableFuture<T> onExecutor(java.util.concurrent.Executor executor,
                                                      java.util.concurrent.Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        java.util.concurrent.FutureTask<Void> task = new java.util.concurrent.FutureTask<>(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable failure) {
                result.completeExceptionally(failure);
            }
            return null;
        });
        result.whenComplete((value, error) -> {
            if (result.isCancelled()) {
                task.cancel(true);
            }
        });
        try {
            executor.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException rejected) {
            result.completeExceptionally(rejected);
        }
        return result;
    }

    /** A cached pool of daemon threads named {@code prefix}, for components that own their executor. */
    public static java.util.concurrent.ExecutorService daemonPool(String prefix) {
        return java.util.concurrent.Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, prefix);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A callback that completes {@code target} as the observed stage completed, unwrapping its failure. */
    public static <T> BiConsumer<T, Throwable> relayTo(CompletableFuture<T> target) {
        return (value, error) -> relay(target, value, error);
    }

    /** Completes {@code target} with {@code value}, or with {@code error} unwrapped when there is one. */
    public static <T> void relay(CompletableFuture<T> target, @org.jspecify.annotations.Nullable T value,
                                 @org.jspecify.annotations.Nullable Throwable error) {
        if (error == null) {
            target.complete(value);
        } else {
            target.completeExceptionally(Outcomes.unwrap(error));
        }
    }
}
