package dev.bulwark;

import java.util.concurrent.CompletionStage;

/**
 * An asynchronous call: it returns at once with a stage that completes later. A call that throws
 * instead of returning a stage is treated as a stage that failed with that exception.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface AsyncSupplier<T> {

    /** Starts the call for the given context. */
    CompletionStage<T> get(ExecutionContext context);
}
