package dev.bulwark.fanout;

import dev.bulwark.ExecutionContext;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Per-request choices: the strategy, which adapters to ask, the values every adapter's context carries (a request
 * id, ...), and the
 * time allowed. Unset values fall back to the fan-out's defaults.
 *
 * @param strategy the strategy, or null for the fan-out's default
 * @param adapters the adapters to ask, or empty for all of them
 * @param values a context whose values (see {@link ExecutionContext#get}) every adapter's context carries; only its
 *               values matter (default: none)
 * @param timeout the time allowed, or null for the fan-out's default
 */
public record RequestOptions(@Nullable Strategy strategy, List<String> adapters, ExecutionContext values,
                             @Nullable Duration timeout) {

    private static final RequestOptions DEFAULTS = new RequestOptions(null, List.of(), ExecutionContext.detached(), null);

    /** Copies the collections. */
    public RequestOptions {
        adapters = List.copyOf(adapters);
        Objects.requireNonNull(values, "values");
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new dev.bulwark.ConfigException("fan-out request", "timeout", timeout, "a positive duration");
        }
    }

    /** Every default. */
    public static RequestOptions defaults() {
        return DEFAULTS;
    }

    /** These options with another strategy. */
    public RequestOptions strategy(Strategy strategy) {
        return new RequestOptions(Objects.requireNonNull(strategy, "strategy"), adapters, values, timeout);
    }

    /** These options asking only the named adapters. */
    public RequestOptions adapters(List<String> adapters) {
        return new RequestOptions(strategy, adapters, values, timeout);
    }

    /** These options with {@code value} under {@code key} in every adapter's context. */
    public <T> RequestOptions with(ExecutionContext.Key<T> key, T value) {
        return new RequestOptions(strategy, adapters, values.with(key, value), timeout);
    }

    /** These options with another time allowance. */
    public RequestOptions timeout(Duration timeout) {
        return new RequestOptions(strategy, adapters, values, Objects.requireNonNull(timeout, "timeout"));
    }
}
