package dev.bulwark.failover;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * How a failover group gets, checks and lets go of instances (a client, an endpoint, a pool, a machine).
 *
 * @param <T> the instance type
 */
public interface Provisioner<T> {

    /** Starts creating an instance; {@code reason} says why (for logs). */
    CompletionStage<T> create(String reason);

    /** Completes when the instance can take traffic. */
    CompletionStage<Void> ready(T instance);

    /**
     * Releases an instance that is no longer needed or was lost. When it throws or fails, a failover or a standby
     * that waited on nothing from it still completes; the failure is published as {@link FailoverGroup.Event.Failed} and
     * logged. {@link FailoverGroup#disableManual()} fails its stage with it.
     */
    CompletionStage<Void> terminate(T instance);

    /**
     * Emergency recovery: copies what can be saved from {@code lost} (may be null) into {@code replacement}
     * before it takes traffic. Does nothing by default.
     */
    default CompletionStage<Void> restore(@Nullable T lost, T replacement) {
        return CompletableFuture.completedFuture(null);
    }
}
