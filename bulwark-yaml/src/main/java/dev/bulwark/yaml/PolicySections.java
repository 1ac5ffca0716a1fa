package dev.bulwark.yaml;

import dev.bulwark.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code retry:}, {@code bulkhead:}, {@code rate_limit:} and {@code hedge:} blocks of a
 * {@code fault_tolerance:} section. An adapter's block is laid over the global one key by key; {@code enabled: false}
 * in either turns the policy off. Each policy is built once here so that a setting the policy refuses fails at load
 * time with its file and line.
 */
final class PolicySections {
    static final Set<String> KEYS = Set.of("retry", "bulkhead", "rate_limit", "hedge");
    private static final Set<String> RETRY = Set.of("enabled", "max_retries", "backoff", "initial_delay", "max_delay",
            "multiplier", "jitter");
    private static final Set<String> BULKHEAD = Set.of("enabled", "max_concurrent_calls", "max_wait");
    private static final Set<String> RATE_LIMIT = Set.of("enabled", "permits_per_second", "burst", "max_wait");
    private static final Set<String> HEDGE = Set.of("enabled", "delay", "max_hedges");
    /** Core field names (in ConfigException) to YAML keys, where they differ by more than case. */
    private static final Map<String, String> FIELD_TO_KEY = Map.of("base", "initial_delay", "delay", "initial_delay",
            "max", "max_delay", "maxRetries", "max_retries", "maxConcurrentCalls", "max_concurrent_calls",
            "permitsPerSecond", "permits_per_second", "maxWait", "max_wait", "maxHedges", "max_hedges");

    private PolicySections() {
    }

    /** The policies of adapter {@code name}: the global blocks with the adapter's ({@code own}, may be null) on top. */
    static Policies read(String name, Section global, @Nullable Section own) {
        return new Policies(retry(name, layers("retry", RETRY, global, own)),
                bulkhead(name, layers("bulkhead", BULKHEAD, global, own)),
                rateLimit(name, layers("rate_limit", RATE_LIMIT, global, own)),
                hedge(name, layers("hedge", HEDGE, global, own)));
    }

    private static Policies.@Nullable RetrySettings retry(String name, Layers layers) {
        if (!layers.enabled(true)) {
            return null;
        }
        Policies.RetrySettings defaults = Policies.RetrySettings.DEFAULT;
        String kind = layers.string("backoff", defaults.backoff().yamlName());
        Policies.BackoffKind backoff;
        try {
            backoff = Policies.BackoffKind.valueOf(kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw layers.error("backoff", "must be one of fixed, exponential, fibonacci, decorrelated_jitter, was " + kind);
        }
        Policies.RetrySettings settings = new Policies.RetrySettings(
                layers.integer("max_retries", defaults.maxRetries(), 0, 100), backoff,
                layers.duration("initial_delay", defaults.initialDelay(), Duration.ZERO),
                layers.duration("max_delay", defaults.maxDelay(), Duration.ZERO),
                layers.decimal("multiplier", defaults.multiplier(), 1.0, 100.0),
                layers.decimal("jitter", defaults.jitter(), 0.0, 1.0));
        if (backoff != Policies.BackoffKind.FIXED && settings.maxDelay().compareTo(settings.initialDelay()) < 0) {
            throw layers.error("max_delay", "must be at least initial_delay (" + settings.initialDelay().toMillis()
                    + " ms) for " + kind + " backoff, was " + settings.maxDelay().toMillis() + " ms");
        }
        layers.check(() -> settings.build(name));
        return settings;
    }

    private static Policies.@Nullable BulkheadSettings bulkhead(String name, Layers layers) {
        if (!layers.present() || !layers.enabled(true)) {
            return null;
        }
        Policies.BulkheadSettings settings = new Policies.BulkheadSettings(
                layers.integer("max_concurrent_calls", 25, 1, 100_000), layers.duration("max_wait", Duration.ZERO, Duration.ZERO));
        layers.check(() -> settings.build(name));
        return settings;
    }

    private static Policies.@Nullable RateLimitSettings rateLimit(String name, Layers layers) {
        if (!layers.present() || !layers.enabled(true)) {
            return null;
        }
        if (!layers.has("permits_per_second")) {
            throw layers.error("permits_per_second", "is required when rate_limit is on");
        }
        Policies.RateLimitSettings settings = new Policies.RateLimitSettings(
                layers.decimal("permits_per_second", 1.0, 0.001, 1_000_000.0), layers.integer("burst", 0, 0, 1_000_000),
                layers.duration("max_wait", Duration.ZERO, Duration.ZERO));
        layers.check(() -> settings.build(name));
        return settings;
    }

    private static Policies.@Nullable HedgeSettings hedge(String name, Layers layers) {
        if (!layers.present() || !layers.enabled(true)) {
            return null;
        }
        if (!layers.has("delay")) {
            throw layers.error("delay", "is required when hedge is on");
        }
        Policies.HedgeSettings settings = new Policies.HedgeSettings(layers.duration("delay", Duration.ZERO, Duration.ZERO),
                layers.integer("max_hedges", 1, 1, 16));
        layers.check(() -> settings.build(name));
        return settings;
    }

    private static Layers layers(String key, Set<String> allowed, Section global, @Nullable Section own) {
        List<Section> found = new ArrayList<>();
        for (Section layer : own == null ? List.of(global) : List.of(global, own)) {
            Section block = layer.section(key);
            if (block != null) {
                found.add(block.allowOnly(allowed));
            }
        }
        return new Layers(found, own == null ? global : own, key);
    }

    /** One policy's blocks, global first; a key is read from the last block that has it. */
    private record Layers(List<Section> blocks, Section owner, String key) {
        boolean present() {
            return !blocks.isEmpty();
        }

        boolean has(String setting) {
            return holder(setting) != null;
        }

        @Nullable Section holder(String setting) {
            for (int i = blocks.size() - 1; i >= 0; i--) {
                if (blocks.get(i).has(setting)) {
                    return blocks.get(i);
                }
            }
            return null;
        }

        boolean enabled(boolean fallback) {
            Section at = holder("enabled");
            return at == null ? fallback : at.bool("enabled", fallback);
        }

        String string(String setting, String fallback) {
            Section at = holder(setting);
            return at == null ? fallback : at.string(setting, fallback);
        }

        int integer(String setting, int fallback, int min, int max) {
            Section at = holder(setting);
            return at == null ? fallback : at.integer(setting, fallback, min, max);
        }

        double decimal(String setting, double fallback, double min, double max) {
            Section at = holder(setting);
            return at == null ? fallback : at.decimal(setting, fallback, min, max);
        }

        Duration duration(String setting, Duration fallback, Duration min) {
            Section at = holder(setting);
            return at == null ? fallback : at.duration(setting, fallback, min);
        }

        ConfigFileException error(String setting, String problem) {
            Section at = holder(setting);
            if (at == null) {
                at = blocks.isEmpty() ? owner : blocks.get(blocks.size() - 1);
            }
            return new ConfigFileException(at.file(), at.lineOf(setting), at.field(setting), problem);
        }

        /** Builds the policy once; a setting it refuses becomes a file-and-line error on that setting. */
        void check(Supplier<?> build) {
            try {
                build.get();
            } catch (ConfigException invalid) {
                String setting = FIELD_TO_KEY.getOrDefault(invalid.field(), invalid.field());
                throw error(setting, "must be " + invalid.allowed() + ", was " + invalid.value());
            }
        }
    }
}
