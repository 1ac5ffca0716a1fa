package dev.bulwark.yaml;

import dev.bulwark.ConfigException;
import dev.bulwark.internal.Checks;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The YAML's {@code quotas:} block: a quota per client over a sliding window, the client named by a request header.
 * Usage is counted in queries, or in the cost a header gives each query (tokens, say). Keys listed under
 * {@code keys} get their own limit; every other key, and a query without the header, is counted under the shared
 * key {@code other}, so a client cannot grow the gateway's memory by inventing keys.
 *
 * @param keyHeader the header naming the client ({@code key_header}, required)
 * @param costHeader the header giving a query's cost ({@code cost_header}); null: each query costs 1
 * @param window the sliding window ({@code window}, default 1 min, at least 1 s)
 * @param limit usage allowed per key and window for keys not listed ({@code limit}, required, > 0)
 * @param keys per-key limits ({@code keys}: key to limit, each > 0)
 * @param warningPercent usage at which a key is WARNING ({@code warning_percent}, default 70, in (0, 100])
 * @param criticalPercent usage at which a key is CRITICAL ({@code critical_percent}, default 90, in
 *        [warning_percent, 100]); at 100 % it is EXHAUSTED
 * @param onCritical what a CRITICAL key's queries get ({@code on_critical}): {@code degrade} (the DEGRADED mode's
 *        behaviour for that query, the default), {@code cache} (the cache only), {@code none},
 *        {@code switch_provider} (adapters with alternatives called at the first one) or {@code queue_for_later}
 *        (adapters with a queue keep the query for later: 202 with a ticket)
 * @param onExhausted what an EXHAUSTED key's queries get ({@code on_exhausted}): {@code reject} (429, the default),
 *        {@code cache} (the cache only), {@code switch_provider} or {@code queue_for_later}
 */
public record GatewayQuotas(String keyHeader, @Nullable String costHeader, Duration window, double limit,
                            Map<String, Double> keys, double warningPercent, double criticalPercent, Action onCritical,
                            Action onExhausted) {
    /** The key that every unlisted client shares. */
    public static final String OTHER = "other";

    /** What a query of a key under pressure gets. */
    public enum Action {
        /** Served as usual. */
        NONE,
        /** Served with the DEGRADED mode's behaviour. */
        DEGRADE,
        /** Served from the cache only. */
        CACHE,
        /** Refused with 429. */
        REJECT,
        /** Adapters with a {@code fallback.switch_provider} are called at their first alternative URL. */
        SWITCH_PROVIDER,
        /** Adapters with a {@code fallback.queue_for_later} keep the query for later (202 with a ticket). */
        QUEUE_FOR_LATER
    }

    /** Validates every field. @throws ConfigException naming the field (its YAML key), value and range */
    public GatewayQuotas {
        String who = "quotas";
        header(who, "key_header", keyHeader);
        if (costHeader != null) {
            header(who, "cost_header", costHeader);
        }
        if (Objects.requireNonNull(window, "window").compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigException(who, "window", window, "at least 1 s");
        }
        Checks.aboveAndAtMost(who, "limit", limit, 0, 1e15);
        keys.forEach((key, keyLimit) -> Checks.aboveAndAtMost(who, "keys." + key, keyLimit, 0, 1e15));
        keys = Map.copyOf(keys);
        Checks.aboveAndAtMost(who, "warning_percent", warningPercent, 0, 100);
        Checks.between(who, "critical_percent", criticalPercent, warningPercent, 100);
        if (onCritical == Action.REJECT) {
            throw new ConfigException(who, "on_critical", "reject",
                    "degrade, cache, none, switch_provider or queue_for_later");
        }
        if (onExhausted == Action.NONE || onExhausted == Action.DEGRADE) {
            throw new ConfigException(who, "on_exhausted", onExhausted.name().toLowerCase(java.util.Locale.ROOT),
                    "reject, cache, switch_provider or queue_for_later");
        }
    }

    private static void header(String who, String field, String name) {
        if (name == null || !name.matches("[A-Za-z0-9-]{1,64}")) {
            throw new ConfigException(who, field, name, "a header name of letters, digits and '-'");
        }
    }

    /** The limit of {@code key}: its own, else {@link #limit()}. */
    public double limitOf(String key) {
        return keys.getOrDefault(key, limit);
    }
}
