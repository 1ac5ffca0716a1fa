package dev.bulwark.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** Small helpers for the asynchronous paths of the policies. */
public final class Futures {
    private Futures() {
    }

    /** A callback that completes {@code target} as the observed stage completed, unwrapping its failure. */
    public static <T> BiConsumer<T, Throwable> relayTo(CompletableFuture<T> target) {
        return (value, error) -> {
            if (error == null) {
                target.complete(value);
            } else {
                target.completeExceptionally(Outcomes.unwrap(error));
            }
        };
    }
}
