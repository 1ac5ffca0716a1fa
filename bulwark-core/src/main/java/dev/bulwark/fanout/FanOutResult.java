package dev.bulwark.fanout;

import dev.bulwark.circuit.CircuitBreaker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The combined outcome of one fan-out request, degrading gracefully: the successes' values,
 * every adapter's result, and whether anything failed. When every adapter fails, {@link #values()} is
 * empty and {@link #failures()} says why; nothing is thrown. Immutable.
 *
 * @param strategy the strategy used
 * @param results every adapter's result, in the order the adapters were given
 * @param duration from the request's start to its result
 * @param <R> the result type
 */
public record FanOutResult<R>(FanOut.Strategy strategy, List<AdapterResult<R>> results, Duration duration) {

    /** Copies the list. */
    public FanOutResult {
        results = List.copyOf(results);
    }

    /** The values of the adapters that succeeded, in adapter order. */
    public List<R> values() {
        List<R> values = new java.util.ArrayList<>(results.size());
        for (AdapterResult<R> result : results) {
            if (result.succeeded()) {
                values.add(result.value());
            }
        }
        return java.util.Collections.unmodifiableList(values);
    }

    /** The adapters that did not succeed (failed, timed out, rejected, cancelled or skipped). */
    public List<AdapterResult<R>> failures() {
        List<AdapterResult<R>> failures = new java.util.ArrayList<>();
        for (AdapterResult<R> result : results) {
            if (!result.succeeded()) {
                failures.add(result);
            }
        }
        return java.util.Collections.unmodifiableList(failures);
    }

    /** True when at least one adapter succeeded. */
    public boolean anySucceeded() {
        return succeeded() > 0;
    }

    /** True when some, but not all, adapters succeeded. */
    public boolean partial() {
        int succeeded = succeeded();
        return succeeded > 0 && succeeded < results.size();
    }

    private int succeeded() {
        int succeeded = 0;
        for (AdapterResult<R> result : results) {
            if (result.succeeded()) {
                succeeded++;
            }
        }
        return succeeded;
    }

    /**
     * What one adapter did for one request. Immutable.
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
}
