package dev.bulwark.fanout;

import dev.bulwark.ExecutionContext;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One backend a fan-out calls: a search index, a database, a remote API. An adapter may have an
 * initialisation phase (opening a connection, warming a client), which gets the fan-out's
 * {@link FanOut.Config#initializationShare() initialization share} of the adapter's time budget (default 30 %), the
 * call itself getting the rest. One adapter serves every request of its
 * fan-out at once: implementations must be thread-safe. {@link #async} and {@link #blocking} make one from a call.
 *
 * @param <Q> the request type
 * @param <R> the result type
 */
public interface Adapter<Q, R> {

    /** The adapter's name, unique within a fan-out. */
    String name();

    /** Starts the call for {@code request}; the context carries the request's values (see {@link FanOut.RequestOptions#values}), the adapter's name
     * under {@link FanOut#ADAPTER}, and the deadline. */
    CompletionStage<R> execute(Q request, ExecutionContext context);

    /** Whether {@link #initialize} must run before each call. */
    default boolean hasInitialization() {
        return false;
    }

    /** Prepares for a call; runs before {@link #execute} when {@link #hasInitialization()} is true. */
    default CompletionStage<Void> initialize(ExecutionContext context) {
        return CompletableFuture.completedFuture(null);
    }

    /** An adapter whose call is asynchronous. */
    static <Q, R> Adapter<Q, R> async(String name, AsyncCall<Q, R> call) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(call, "call");
        return new Adapter<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CompletionStage<R> execute(Q request, ExecutionContext context) {
                return call.call(request, context);
            }
        };
    }

    /** An adapter whose call blocks; the fan-out runs it on its executor and interrupts it when abandoned. */
    static <Q, R> Adapter<Q, R> blocking(String name, BlockingCall<Q, R> call) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(call, "call");
        return new BlockingAdapter<>(name, call);
    }

    /** The asynchronous call of an adapter. */
    @FunctionalInterface
    interface AsyncCall<Q, R> {
        /** Starts the call. */
        CompletionStage<R> call(Q request, ExecutionContext context);
    }

    /** The blocking call of an adapter. */
    @FunctionalInterface
    interface BlockingCall<Q, R> {
        /** Performs the call. */
        R call(Q request, ExecutionContext context) throws Exception;
    }
}
