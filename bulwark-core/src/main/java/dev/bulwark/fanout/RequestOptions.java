package dev.bulwark.fanout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Per-request choices: the strategy, which adapters to ask, the caller's tags (a request id, ...), and the
 * time allowed. Unset values fall back to the fan-out's defaults.
 *
 * @param strategy the strategy, or null for the fan-out's default
 * @param adapters the adapters to ask, or empty for all of them
 * @param tags the caller's tags, passed to every adapter
 * @param timeout the time allowed, or null for the fan-out's default
 */
public record RequestOptions(@Nullable Strategy strategy, List<String> adapters, Map<String, String> tags,
                             @Nullable Duration timeout) {

    private static final RequestOptions DEFAULTS = new RequestOptions(null, List.of(), Map.of(), null);

    /** Copies the collections. */
    public RequestOptions {
        adapters = List.copyOf(adapters);
        tags = Map.copyOf(tags);
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
        return new RequestOptions(Objects.requireNonNull(strategy, "strategy"), adapters, tags, timeout);
    }

    /** These options asking only the named adapters. */
    public RequestOptions adapters(List<String> adapters) {
        return new RequestOptions(strategy, adapters, tags, timeout);
    }

    /** These options with the caller's tags. */
    public RequestOptions tags(Map<String, String> tags) {
        return new RequestOptions(strategy, adapters, tags, timeout);
    }

    /** These options with another time allowance. */
    public RequestOptions timeout(Duration timeout) {
        return new RequestOptions(strategy, adapters, tags, Objects.requireNonNull(timeout, "timeout"));
    }
}
