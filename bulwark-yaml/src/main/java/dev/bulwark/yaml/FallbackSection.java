package dev.bulwark.yaml;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reads an adapter's {@code fallback:} block into {@link AdapterFallback}; errors at the key's file and line. */
final class FallbackSection {
    static final String KEY = "fallback";
    private static final Set<String> KEYS = Set.of("order", "switch_provider", "degrade", "cache", "queue_for_later", "load_shed");

    private FallbackSection() {
    }

    static @Nullable AdapterFallback read(@Nullable Section block) {
        if (block == null) {
            return null;
        }
        block.allowOnly(KEYS);
        List<URI> alternatives = new ArrayList<>();
        for (String raw : block.scalars("switch_provider")) {
            alternatives.add(url(block, "switch_provider", raw));
        }
        Section degrade = block.section("degrade");
        URI degradedUrl = null;
        String template = null;
        if (degrade != null) {
            degrade.allowOnly(Set.of("url", "body_template"));
            degradedUrl = degrade.has("url") ? EventHandlerSection.httpUrl(degrade, "url") : null;
            template = degrade.has("body_template") ? degrade.string("body_template", "") : null;
        }
        Section cache = block.section("cache");
        if (cache != null) {
            cache.allowOnly(Set.of("ttl", "stale_if_error"));
        }
        List<AdapterFallback.Strategy> order = new ArrayList<>();
        if (block.has("order")) {
            for (String name : block.scalars("order")) {
                try {
                    order.add(AdapterFallback.Strategy.valueOf(name.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException unknown) {
                    throw new ConfigFileException(block.file(), block.lineOf("order"), block.field("order"),
                            "must list switch_provider, degrade, cache or queue_for_later, was " + name);
                }
            }
        } else {
            if (block.has("switch_provider")) {
                order.add(AdapterFallback.Strategy.SWITCH_PROVIDER);
            }
            if (degrade != null) {
                order.add(AdapterFallback.Strategy.DEGRADE);
            }
            if (cache != null) {
                order.add(AdapterFallback.Strategy.CACHE);
            }
            if (block.has("queue_for_later")) {
                order.add(AdapterFallback.Strategy.QUEUE_FOR_LATER);
            }
        }
        AdapterFallback.Queue queue = queue(block.section("queue_for_later"));
        AdapterFallback.LoadShed shed = loadShed(block.section("load_shed"));
        URI url = degradedUrl;
        String body = template;
        Duration ttl = cache == null ? null : cache.duration("ttl", Duration.ofMinutes(5), Duration.ZERO);
        Duration stale = cache == null ? null : cache.duration("stale_if_error", Duration.ofHours(24), Duration.ZERO);
        if (order.contains(AdapterFallback.Strategy.CACHE) && cache == null) {
            ttl = Duration.ofMinutes(5);
            stale = Duration.ofHours(24);
        }
        Duration cacheTtl = ttl;
        Duration staleIfError = stale;
        return EventHandlerSection.located(block, () -> new AdapterFallback(order, alternatives, url, body, cacheTtl,
                staleIfError, queue, shed));
    }

    private static AdapterFallback.@Nullable LoadShed loadShed(@Nullable Section block) {
        if (block == null) {
            return null;
        }
        block.allowOnly(Set.of("capacity", "priority_header", "retry_after"));
        if (!block.has("capacity")) {
            throw new ConfigFileException(block.file(), block.line(), block.field("capacity"), "is required");
        }
        int capacity = block.integer("capacity", 1, 1, 10_000_000);
        String header = block.string("priority_header", "X-Priority").trim();
        if (!header.matches("[A-Za-z0-9-]{1,64}")) {
            throw new ConfigFileException(block.file(), block.lineOf("priority_header"), block.field("priority_header"),
                    "must be a header name of 1 to 64 letters, digits and '-', was " + header);
        }
        Duration retryAfter = block.duration("retry_after", Duration.ofSeconds(1), Duration.ofSeconds(1));
        return EventHandlerSection.located(block, () -> new AdapterFallback.LoadShed(capacity, header, retryAfter));
    }

    private static AdapterFallback.@Nullable Queue queue(@Nullable Section block) {
        if (block == null) {
            return null;
        }
        block.allowOnly(Set.of("directory", "drain_interval", "capacity"));
        String directory = block.requiredString("directory");
        Duration interval = block.duration("drain_interval", Duration.ofSeconds(30), Duration.ofMillis(1));
        int capacity = block.integer("capacity", 1000, 1, 1_000_000);
        return EventHandlerSection.located(block, () -> new AdapterFallback.Queue(java.nio.file.Path.of(directory),
                interval, capacity));
    }

    private static URI url(Section block, String key, String raw) {
        try {
            URI uri = URI.create(raw);
            if (uri.getScheme() != null && (uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException malformed) {
            // reported below with the field and line
        }
        throw new ConfigFileException(block.file(), block.lineOf(key), block.field(key), "must list http(s) URLs, was " + raw);
    }
}
