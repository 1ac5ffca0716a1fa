package dev.bulwark;

import java.util.concurrent.CompletionStage;

/**
 * The rest of a pipeline, as seen by one policy: the policies inside it and, last, the call itself.
 * A policy calls {@link #proceed} (or {@link #proceedAsync}) once per attempt it lets through.
 *
 * <p>Chains are built once per pipeline, not per call; the call travels as an argument so that
 * executing a pipeline allocates nothing of its own.
 */
public interface Chain {

    /** Runs the rest of the pipeline synchronously; exceptions of the call pass through unwrapped. */
    <T> T proceed(ExecutionContext context, ContextualSupplier<T> call) throws Exception;

    /** Starts the rest of the pipeline asynchronously; never throws, failures complete the stage. */
    <T> CompletionStage<T> proceedAsync(ExecutionContext context, AsyncSupplier<T> call);

    /** The end of every chain: it performs the call. */
    static Chain end() {
        return Pipeline.END;
    }
}
