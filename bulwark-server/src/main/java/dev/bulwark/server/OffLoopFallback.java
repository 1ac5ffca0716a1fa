package dev.bulwark.server;

import dev.bulwark.ExecutionContext;
import dev.bulwark.fallback.Failure;
import dev.bulwark.fallback.FallbackResult;
import dev.bulwark.fallback.FallbackStrategy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;

/**
 * A fallback strategy that may block (queue_for_later forces its journal to disk before it answers), run on the common
 * pool instead of the thread that failed: that thread is often one of the backend client's event loops, which carries
 * other calls' exchanges. Everything else is the wrapped strategy's.
 */
final class OffLoopFallback<T> implements FallbackStrategy<T> {
    private final FallbackStrategy<T> blocking;

    OffLoopFallback(FallbackStrategy<T> blocking) {
        this.blocking = blocking;
    }

    @Override
    public FallbackResult.Outcome outcome() {
        return blocking.outcome();
    }

    @Override
    public CompletionStage<FallbackStrategy.Step<T>> apply(Failure<T> failure) {
        return CompletableFuture.supplyAsync(() -> blocking.apply(failure), ForkJoinPool.commonPool())
                .thenCompose(Function.identity());
    }

    @Override
    public void onFullAnswer(ExecutionContext context, T value) {
        blocking.onFullAnswer(context, value);
    }

    @Override
    public String toString() {
        return blocking.toString();
    }
}
