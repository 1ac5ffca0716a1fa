package dev.bulwark.fanout;

import java.time.Duration;
import java.util.List;

/**
 * The combined outcome of one fan-out request, degrading gracefully: the successes' values,
 * every adapter's result, and whether anything failed. When every adapter fails, {@link #values()} is
 * empty and {@link #failures()} says why; nothing is thrown.
 *
 * @param strategy the strategy used
 * @param results every adapter's result, in the order the adapters were given
 * @param duration from the request's start to its result
 * @param <R> the result type
 */
public record FanOutResult<R>(Strategy strategy, List<AdapterResult<R>> results, Duration duration) {

    /** Copies the list. */
    public FanOutResult {
        results = List.copyOf(results);
    }

    /** The values of the adapters that succeeded, in adapter order. */
    public List<R> values() {
        return results.stream().filter(AdapterResult::succeeded).map(AdapterResult::value).toList();
    }

    /** The adapters that did not succeed (failed, timed out, rejected, cancelled or skipped). */
    public List<AdapterResult<R>> failures() {
        return results.stream().filter(result -> !result.succeeded()).toList();
    }

    /** True when at least one adapter succeeded. */
    public boolean anySucceeded() {
        return results.stream().anyMatch(AdapterResult::succeeded);
    }

    /** True when some, but not all, adapters succeeded. */
    public boolean partial() {
        long succeeded = results.stream().filter(AdapterResult::succeeded).count();
        return succeeded > 0 && succeeded < results.size();
    }
}
