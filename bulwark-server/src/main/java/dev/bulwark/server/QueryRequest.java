package dev.bulwark.server;

import dev.bulwark.fanout.FanOut.Strategy;
import java.util.List;
import java.util.Objects;

/**
 * A validated {@code /query} body.
 *
 * @param query the non-blank query text
 * @param strategy the strategy asked for, or null for the configured one
 * @param adapters the adapters asked for, each once, in the order given; empty for every adapter
 */
record QueryRequest(String query, @org.jspecify.annotations.Nullable Strategy strategy, List<String> adapters) {
    QueryRequest {
        Objects.requireNonNull(query, "query");
        adapters = List.copyOf(adapters);
    }
}
