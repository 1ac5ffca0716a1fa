package dev.bulwark;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Something that runs calls under protection: a single {@link Policy} or a whole {@link Pipeline}.
 * All the ways to run a call funnel into two methods, one synchronous and one asynchronous, which
 * apply the same policy logic.
 *
 * <p>Exceptions thrown by the call, checked ones included, reach the caller unwrapped; policies add
 * their own ({@link BulwarkException} subclasses) when they reject or abandon a call.
 */
public interface Guard {

    /** Runs {@code call} synchronously under this guard, in the given context. */
    <T> T execute(ExecutionContext context, ContextualSupplier<T> call) throws Exception;

    /** Starts {@code call} asynchronously under this guard, in the given context. Never throws. */
    <T> CompletionStage<T> executeAsync(ExecutionContext context, AsyncSupplier<T> call);

    /** Runs {@code call} and returns its result. */
    default <T> T execute(CheckedSupplier<T> call) throws Exception {
        return execute(ExecutionContext.detached(), call);
    }

    /** Runs {@code call}, handing it a fresh context that starts now. */
    default <T> T executeWithContext(ContextualSupplier<T> call) throws Exception {
        return execute(ExecutionContext.start(clock()), call);
    }

    /** Runs {@code call}, which returns nothing. */
    default void run(CheckedRunnable call) throws Exception {
        execute(ExecutionContext.detached(), call);
    }

    /** Starts {@code call} asynchronously. */
    default <T> CompletionStage<T> executeAsync(Supplier<? extends CompletionStage<T>> call) {
        Objects.requireNonNull(call, "call");
        return executeAsync(ExecutionContext.detached(), context -> call.get());
    }

    /** The clock that contexts created by this guard start on. */
    dev.bulwark.time.Clock clock();
}
