package dev.bulwark.fanout;

import dev.bulwark.circuit.CircuitBreaker;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one adapter did for one request.
 *
 * @param name the adapter
 * @param status how it ended
 * @param value its result when it succeeded
 * @param error its failure, when it failed, timed out or was rejected
 * @param duration from its start to its end (zero when it was not called)
 * @param circuitState its circuit breaker's state after the call, or null when it has none
 * @param <R> the result type
 */
public record AdapterResult<R>(String name, Status status, @Nullable R value, @Nullable Throwable error,
                               Duration duration, CircuitBreaker.@Nullable State circuitState) {

    /** How an adapter's part of a request ended. */
    public enum Status {
        /** It returned a value. */
        SUCCEEDED,
        /** It failed. */
        FAILED,
        /** It ran out of time (its own timeout or the request's deadline). */
        TIMED_OUT,
        /** Its circuit was open (or its bulkhead full): it was not called. */
        REJECTED,
        /** It was cancelled because another adapter already answered (FIRST_SUCCESS) or the fan-out shut down. */
        CANCELLED,
        /** It had not finished at a BEST_EFFORT deadline and was abandoned without counting against it. */
        SKIPPED
    }

    /** True when the adapter returned a value. */
    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }

    /** The value, if it succeeded. */
    public Optional<R> valueIfPresent() {
        return Optional.ofNullable(value);
    }
}
