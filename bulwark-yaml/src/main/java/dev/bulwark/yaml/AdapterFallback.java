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
 */
public record AdapterFallback(List<Strategy> order, List<URI> alternatives, @Nullable URI degradedUrl,
                              @Nullable String degradedBodyTemplate, @Nullable Duration cacheTtl,
                              @Nullable Duration staleIfError) {
    /** A strategy, in the default order. */
    public enum Strategy {
        /** Call an alternative URL. */
        SWITCH_PROVIDER,
        /** Call with the degraded request. */
        DEGRADE,
        /** Serve the adapter's last good answer to the query. */
        CACHE
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
        if (order.isEmpty()) {
            throw new ConfigException(who, "order", order, "at least one of switch_provider, degrade, cache");
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
