package dev.bulwark.yaml;

import dev.bulwark.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An adapter's {@code fallback:} block: what answers for the adapter when its call (after its retries) failed, the
 * strategies tried in {@code order} until one answers.
 *
 * @param order the strategies, each once ({@code order}; default: switch_provider, degrade, cache, those given)
 * @param alternatives {@code switch_provider}: other URLs for the same adapter, tried in order
 * @param degradedUrl {@code degrade.url}: the cheaper endpoint, or null for the adapter's own
 * @param degradedBodyTemplate {@code degrade.body_template}: the smaller POST body, with {@code {{query}}}, or null
 * @param cacheTtl {@code cache.ttl}: how long an adapter's answer is fresh (default 5 min); null without a cache
 * @param staleIfError {@code cache.stale_if_error}: how long past its ttl an answer still serves (default 24 h)
 * @param queue {@code queue_for_later}: where the queries kept for later are journaled and how often they are run
 *     again; null without that strategy
 * @param loadShed {@code load_shed}: the adapter's capacity and the header giving a query's priority; null: no shedding
 */
public record AdapterFallback(List<Strategy> order, List<URI> alternatives, @Nullable URI degradedUrl,
                              @Nullable String degradedBodyTemplate, @Nullable Duration cacheTtl,
                              @Nullable Duration staleIfError, @Nullable Queue queue, @Nullable LoadShed loadShed) {
    /**
     * The {@code load_shed:} block: at most {@code capacity} calls of the adapter in flight, lower priorities refused
     * first (LOW from 50 % of it, NORMAL from 75 %, HIGH from 90 %, CRITICAL only at 100 %); a query's priority is
     * its {@code priorityHeader} ({@code low}, {@code normal}, {@code high} or {@code critical}; NORMAL without one).
     *
     * @param capacity {@code capacity}: calls in flight allowed (required, in [1, 10000000])
     * @param priorityHeader {@code priority_header}: the request header naming the priority (default X-Priority)
     * @param retryAfter {@code retry_after}: the Retry-After a shed query is told (default 1 s, in [1 s, 1 h])
     */
    public record LoadShed(int capacity, String priorityHeader, Duration retryAfter) {
        /** Validates every field. @throws ConfigException naming the field (its YAML key), value and range */
        public LoadShed {
            Objects.requireNonNull(priorityHeader, "priorityHeader");
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (capacity < 1 || capacity > 10_000_000) {
                throw new ConfigException("load_shed", "capacity", capacity, "[1, 10000000]");
            }
            if (!priorityHeader.matches("[A-Za-z0-9-]{1,64}")) {
                throw new ConfigException("load_shed", "priority_header", priorityHeader,
                        "a header name of 1 to 64 letters, digits and '-'");
            }
            if (retryAfter.compareTo(Duration.ofSeconds(1)) < 0 || retryAfter.compareTo(Duration.ofHours(1)) > 0) {
                throw new ConfigException("load_shed", "retry_after", retryAfter, "[1 s, 1 h]");
            }
        }
    }

    /**
     * The {@code queue_for_later:} block: the adapter's queries that nothing could answer are kept in a durable
     * journal, {@code <directory>/<adapter>.journal}, and run again every {@code drainInterval}.
     *
     * @param directory {@code directory}: the data directory (required; created if missing)
     * @param drainInterval {@code drain_interval}: how often the queue is worked off (default 30 s, > 0)
     * @param capacity {@code capacity}: the most queries waiting (default 1000, in [1, 1000000])
     */
    public record Queue(java.nio.file.Path directory, Duration drainInterval, int capacity) {
        /** Validates every field. @throws ConfigException naming the field (its YAML key), value and range */
        public Queue {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(drainInterval, "drainInterval");
            if (drainInterval.isZero() || drainInterval.isNegative()) {
                throw new ConfigException("queue_for_later", "drain_interval", drainInterval, "> 0");
            }
            if (capacity < 1 || capacity > 1_000_000) {
                throw new ConfigException("queue_for_later", "capacity", capacity, "[1, 1000000]");
            }
        }
    }

    /** As the canonical constructor, without a queue_for_later or load_shed. */
    public AdapterFallback(List<Strategy> order, List<URI> alternatives, @Nullable URI degradedUrl,
                           @Nullable String degradedBodyTemplate, @Nullable Duration cacheTtl,
                           @Nullable Duration staleIfError) {
        this(order, alternatives, degradedUrl, degradedBodyTemplate, cacheTtl, staleIfError, null, null);
    }

    /** A strategy, in the default order. */
    public enum Strategy {
        /** Call an alternative URL. */
        SWITCH_PROVIDER,
        /** Call with the degraded request. */
        DEGRADE,
        /** Serve the adapter's last good answer to the query. */
        CACHE,
        /** Keep the query in the durable queue, answer with a ticket, run it again later. */
        QUEUE_FOR_LATER
    }

    /** Validates every field. @throws ConfigException naming the field (its YAML key), value and range */
    public AdapterFallback {
        String who = "fallback";
        order = List.copyOf(order);
        alternatives = List.copyOf(alternatives);
        Set<Strategy> seen = new HashSet<>();
        for (Strategy strategy : order) {
            if (!seen.add(strategy)) {
                throw new ConfigException(who, "order", order, "each strategy once");
            }
        }
        if (order.isEmpty() && loadShed == null) {
            throw new ConfigException(who, "order", order, "at least one of switch_provider, degrade, cache, queue_for_later");
        }
        if (seen.contains(Strategy.QUEUE_FOR_LATER) && queue == null) {
            throw new ConfigException(who, "queue_for_later", "{}", "a block with a directory");
        }
        if (seen.contains(Strategy.SWITCH_PROVIDER) && alternatives.isEmpty()) {
            throw new ConfigException(who, "switch_provider", alternatives, "at least one URL");
        }
        if (seen.contains(Strategy.DEGRADE) && degradedUrl == null && degradedBodyTemplate == null) {
            throw new ConfigException(who, "degrade", "{}", "a url or a body_template");
        }
        if (degradedBodyTemplate != null && !degradedBodyTemplate.contains("{{query}}")) {
            throw new ConfigException(who, "degrade.body_template", degradedBodyTemplate, "a template containing {{query}}");
        }
        if (seen.contains(Strategy.CACHE)) {
            Objects.requireNonNull(cacheTtl, "cacheTtl");
            Objects.requireNonNull(staleIfError, "staleIfError");
            if (cacheTtl.isZero() || cacheTtl.isNegative()) {
                throw new ConfigException(who, "cache.ttl", cacheTtl, "> 0");
            }
            if (staleIfError.isNegative()) {
                throw new ConfigException(who, "cache.stale_if_error", staleIfError, ">= 0");
            }
        }
    }
}
