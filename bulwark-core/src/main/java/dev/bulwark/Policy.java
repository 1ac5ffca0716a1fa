package dev.bulwark;

import dev.bulwark.event.Component;
import dev.bulwark.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One kind of protection around a call (a circuit breaker, a retry, a timeout, a bulkhead, ...), or a
 * {@link Pipeline} of them. A policy is a named {@link Component}, runs calls on its own, and composes with others in
 * a pipeline. All the ways to run a call funnel into two methods, one synchronous and one asynchronous, which apply
 * the same policy logic.
 *
 * <p>Exceptions thrown by the call, checked ones included, reach the caller unwrapped; policies add their own
 * ({@link BulwarkException} subclasses) when they reject or abandon a call.
 *
 * <p>To write a policy, implement the two {@code intercept} methods with the same decision logic: decide whether to
 * let the attempt through, call {@code next} (as many times as the policy attempts), and record the outcome.
 * Implementations must be thread-safe and must not hold a monitor while calling {@code next}.
 */
public interface Policy extends Component {

    /** Runs the rest of the pipeline ({@code next}) for {@code call} synchronously under this policy. */
    <T> T intercept(ExecutionContext context, ContextualSupplier<T> call, Chain next) throws Exception;

    /** Runs the rest of the pipeline ({@code next}) for {@code call} asynchronously under this policy. Never throws. */
    <T> CompletionStage<T> interceptAsync(ExecutionContext context, AsyncSupplier<T> call, Chain next);

    /** The clock that contexts created by this policy ({@link #executeWithContext}) start on. */
    Clock clock();

    /** Runs {@code call} synchronously under this policy, in the given context. */
    default <T> T execute(ExecutionContext context, ContextualSupplier<T> call) throws Exception {
        return intercept(context, call, Chain.end());
    }

    /** Starts {@code call} asynchronously under this policy, in the given context. Never throws. */
    default <T> CompletionStage<T> executeAsync(ExecutionContext context, AsyncSupplier<T> call) {
        return interceptAsync(context, call, Chain.end());
    }

    /** Runs {@code call} and returns its result. */
    default <T> T execute(CheckedSupplier<T> call) throws Exception {
        return execute(ExecutionContext.detached(), call);
    }

    /** Runs {@code call}, handing it a fresh context that starts now on {@link #clock()}. */
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
}
