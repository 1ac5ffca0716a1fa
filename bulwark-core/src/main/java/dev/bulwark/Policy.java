package dev.bulwark;

import dev.bulwark.event.Component;
import java.util.concurrent.CompletionStage;

/**
 * One kind of protection around a call: a circuit breaker, a retry, a timeout, a bulkhead, ...
 * A policy is a named {@link Component}, runs calls on its own as a {@link Guard}, and composes with
 * others in a {@link Pipeline}.
 *
 * <p>To write a policy, implement the two {@code intercept} methods with the same decision logic:
 * decide whether to let the attempt through, call {@code next} (as many times as the policy attempts),
 * and record the outcome. Implementations must be thread-safe and must not hold a monitor while
 * calling {@code next}.
 */
public interface Policy extends Guard, Component {

    /** Runs the rest of the pipeline ({@code next}) for {@code call} synchronously under this policy. */
    <T> T intercept(ExecutionContext context, ContextualSupplier<T> call, Chain next) throws Exception;

    /** Runs the rest of the pipeline ({@code next}) for {@code call} asynchronously under this policy. Never throws. */
    <T> CompletionStage<T> interceptAsync(ExecutionContext context, AsyncSupplier<T> call, Chain next);

    @Override
    default <T> T execute(ExecutionContext context, ContextualSupplier<T> call) throws Exception {
        return intercept(context, call, Chain.end());
    }

    @Override
    default <T> CompletionStage<T> executeAsync(ExecutionContext context, AsyncSupplier<T> call) {
        return interceptAsync(context, call, Chain.end());
    }
}
