package dev.bulwark.yaml;

import dev.bulwark.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How much one client and one connection may ask of the gateway: the {@code server:} block's limits.
 *
 * @param maxAdaptersPerQuery the most adapters one {@code /query} may name ({@code max_adapters_per_query},
 *        default 16, in [1, 1000]); a query naming none asks every adapter, which the configuration bounds itself
 * @param clientRateLimit the per-client limit of {@code /query} ({@code client_rate_limit}), or null when off
 *        (the default)
 * @param headerReadTimeout how long a client may take to send a request's line and headers once it started
 *        ({@code header_read_timeout}, default 10 s, at least 1 ms); the connection is closed after that
 * @param idleTimeout how long a connection may stay silent ({@code idle_timeout}, default 30 s, at least 1 ms)
 * @param acceptQueueSize the listening socket's backlog of connections not yet accepted ({@code accept_queue_size},
 *        default 128, in [1, 65535])
 */
public record ServerLimits(int maxAdaptersPerQuery, @Nullable ClientRateLimit clientRateLimit, Duration headerReadTimeout,
                           Duration idleTimeout, int acceptQueueSize) {
    private static final String WHO = "server";

    /** Validates every field. @throws dev.bulwark.ConfigException naming the field, value and range */
    public ServerLimits {
        Checks.between(WHO, "max_adapters_per_query", maxAdaptersPerQuery, 1, 1000);
        Checks.positive(WHO, "header_read_timeout", Objects.requireNonNull(headerReadTimeout, "headerReadTimeout"));
        Checks.positive(WHO, "idle_timeout", Objects.requireNonNull(idleTimeout, "idleTimeout"));
        Checks.between(WHO, "accept_queue_size", acceptQueueSize, 1, 65_535);
    }

    /** The defaults: 16 adapters per query, no per-client limit, 10 s to send headers, 30 s idle, a backlog of 128. */
    public static ServerLimits defaults() {
        return new ServerLimits(16, null, Duration.ofSeconds(10), Duration.ofSeconds(30), 128);
    }

    /** These limits with another per-client rate limit (null: off). */
    public ServerLimits withClientRateLimit(@Nullable ClientRateLimit limit) {
        return new ServerLimits(maxAdaptersPerQuery, limit, headerReadTimeout, idleTimeout, acceptQueueSize);
    }

    /** These limits with another header read deadline. */
    public ServerLimits withHeaderReadTimeout(Duration timeout) {
        return new ServerLimits(maxAdaptersPerQuery, clientRateLimit, timeout, idleTimeout, acceptQueueSize);
    }

    /** These limits with another bound on the adapters one query may name. */
    public ServerLimits withMaxAdaptersPerQuery(int max) {
        return new ServerLimits(max, clientRateLimit, headerReadTimeout, idleTimeout, acceptQueueSize);
    }

    /**
     * A token bucket per client over {@code /query}: a client over its rate gets a 429 with {@code Retry-After}.
     *
     * @param permitsPerSecond queries per second per client ({@code permits_per_second}, in (0, 1e6])
     * @param burst queries a quiet client may send at once ({@code burst}, in [1, 1000000])
     * @param clientHeader the request header naming the client ({@code client_header}, default {@code X-Client-Id});
     *        without it a client is its remote address. The header is trusted: set it in a proxy you control
     * @param maxClients clients tracked at once ({@code max_clients}, default 10000, in [1, 10000000]); the least
     *        recently seen is forgotten first, so a flood of client ids cannot grow memory
     */
    public record ClientRateLimit(double permitsPerSecond, int burst, String clientHeader, int maxClients) {
        /** Validates every field. @throws dev.bulwark.ConfigException naming the field, value and range */
        public ClientRateLimit {
            Checks.aboveAndAtMost(WHO, "client_rate_limit.permits_per_second", permitsPerSecond, 0, 1e6);
            Checks.between(WHO, "client_rate_limit.burst", burst, 1, 1_000_000);
            if (clientHeader == null || clientHeader.isBlank() || !clientHeader.matches("[A-Za-z0-9-]+")) {
                throw new dev.bulwark.ConfigException(WHO, "client_rate_limit.client_header", clientHeader,
                        "a header name of letters, digits and '-'");
            }
            Checks.between(WHO, "client_rate_limit.max_clients", maxClients, 1, 10_000_000);
        }
    }
}
