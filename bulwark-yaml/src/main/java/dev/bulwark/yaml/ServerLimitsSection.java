package dev.bulwark.yaml;

import java.time.Duration;
import java.util.Set;

/** Reads the limits of the {@code server:} block into {@link ServerLimits}; every bound fails with file and line. */
final class ServerLimitsSection {
    static final Set<String> KEYS = Set.of("max_adapters_per_query", "client_rate_limit", "header_read_timeout",
            "idle_timeout", "accept_queue_size");
    private static final Set<String> CLIENT_RATE_LIMIT = Set.of("enabled", "permits_per_second", "burst",
            "client_header", "max_clients");

    private ServerLimitsSection() {
    }

    static ServerLimits read(Section server) {
        ServerLimits defaults = ServerLimits.defaults();
        Section clients = server.section("client_rate_limit");
        ServerLimits.ClientRateLimit perClient = null;
        if (clients != null) {
            clients.allowOnly(CLIENT_RATE_LIMIT);
            if (clients.bool("enabled", true)) {
                String header = clients.string("client_header", "X-Client-Id").trim();
                if (!header.matches("[A-Za-z0-9-]+")) {
                    throw new ConfigFileException(clients.file(), clients.lineOf("client_header"),
                            clients.field("client_header"), "must be a header name of letters, digits and '-', was '"
                            + header + "'");
                }
                perClient = new ServerLimits.ClientRateLimit(
                        clients.decimal("permits_per_second", 10, 0.001, 1e6),
                        clients.integer("burst", 20, 1, 1_000_000), header,
                        clients.integer("max_clients", 10_000, 1, 10_000_000));
            }
        }
        return new ServerLimits(server.integer("max_adapters_per_query", defaults.maxAdaptersPerQuery(), 1, 1000),
                perClient, server.duration("header_read_timeout", defaults.headerReadTimeout(), Duration.ofMillis(1)),
                server.duration("idle_timeout", defaults.idleTimeout(), Duration.ofMillis(1)),
                server.integer("accept_queue_size", defaults.acceptQueueSize(), 1, 65_535));
    }
}
