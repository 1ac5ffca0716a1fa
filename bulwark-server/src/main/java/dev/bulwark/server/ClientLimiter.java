package dev.bulwark.server;

import dev.bulwark.ratelimit.RateLimiter;
import dev.bulwark.time.Clock;
import dev.bulwark.yaml.ServerLimits;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A token bucket per client over {@code /query} (core's {@link RateLimiter}, one per client key), holding at most
 * {@code max_clients} buckets: the least recently seen client is forgotten first, so a flood of client ids costs a
 * bounded amount of memory (a forgotten client starts again with a full bucket). This class is thread-safe.
 */
final class ClientLimiter {
    private final ServerLimits.ClientRateLimit settings;
    private final Clock clock;
    private final Map<String, RateLimiter> buckets;
    private final long retryAfterSeconds;

    ClientLimiter(ServerLimits.ClientRateLimit settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        int max = settings.maxClients();
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RateLimiter> eldest) {
                return size() > max;
            }
        };
        // one token comes back every 1/rate seconds: the soonest a refused client can be sure to get one
        this.retryAfterSeconds = Math.max(1, (long) Math.ceil(1 / settings.permitsPerSecond()));
    }

    /** The header that names the client ({@code X-Client-Id} unless configured). */
    String clientHeader() {
        return settings.clientHeader();
    }

    /** Takes one token of {@code client}'s bucket: false when the client is over its rate. */
    boolean tryAcquire(String client) {
        RateLimiter bucket;
        synchronized (buckets) {
            bucket = buckets.computeIfAbsent(client, key -> RateLimiter.builder("client", settings.permitsPerSecond())
                    .burst(settings.burst()).clock(clock).build());
        }
        return bucket.tryAcquire();
    }

    /** Seconds a refused client should wait ({@code Retry-After}): the time one token takes to come back, at least 1. */
    long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Clients tracked now (at most {@code max_clients}). */
    int trackedClients() {
        synchronized (buckets) {
            return buckets.size();
        }
    }
}
