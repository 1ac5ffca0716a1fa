package dev.bulwark.fanout;

import dev.bulwark.ExecutionContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** An adapter around a blocking call; the fan-out gives it an executor before use. */
final class BlockingAdapter<Q, R> implements Adapter<Q, R> {
    private final String name;
    private final Adapter.BlockingCall<Q, R> call;

    BlockingAdapter(String name, Adapter.BlockingCall<Q, R> call) {
        this.name = name;
        this.call = call;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletionStage<R> execute(Q request, ExecutionContext context) {
        return CompletableFuture.failedFuture(new IllegalStateException("blocking adapter '" + name
                + "' must be run by a fan-out, which supplies the executor"));
    }

    Adapter.BlockingCall<Q, R> call() {
        return call;
    }
}
