package dev.bulwark.yaml;

import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.bulkhead.BulkheadConfig;
import dev.bulwark.hedge.Hedge;
import dev.bulwark.hedge.HedgeConfig;
import dev.bulwark.ratelimit.RateLimiter;
import dev.bulwark.ratelimit.RateLimiterConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code retry:}, {@code bulkhead:}, {@code rate_limit:} and {@code hedge:} blocks of a
 * {@code fault_tolerance:} section. An adapter's block is laid over the global one key by key; {@code enabled: false}
 * in either turns the policy off. Keys map to core builder settings by {@link BuilderSettings}' one rule
 * ({@code max_concurrent_calls} is {@code maxConcurrentCalls}); each policy is built once here with core's ranges and
 * defaults, so that a setting the policy refuses fails at load time with its file and line.
 */
final class PolicySections {
    static final Set<String> KEYS = Set.of("retry", "bulkhead", "rate_limit", "hedge");
    static final Set<String> RETRY = Set.of("enabled", "max_retries", "backoff", "initial_delay", "max_delay",
            "multiplier", "jitter", "max_duration");
    static final Set<String> BULKHEAD = Set.of("enabled", "max_concurrent_calls", "max_wait", "max_waiting_calls");
    static final Set<String> RATE_LIMIT = Set.of("enabled", "permits_per_second", "burst", "max_wait");
    static final Set<String> HEDGE = Set.of("enabled", "delay", "max_hedges");
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
        BuilderSettings given = layers.settings();
        String kind = layers.string("backoff", defaults.backoff().yamlName());
        Policies.BackoffKind backoff;
        try {
            backoff = Policies.BackoffKind.valueOf(kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw layers.error("backoff", "must be one of fixed, exponential, fibonacci, decorrelated_jitter, was " + kind);
        }
        Policies.RetrySettings settings = new Policies.RetrySettings(
                given.value("maxRetries", int.class, defaults.maxRetries()), backoff,
                given.value("initialDelay", Duration.class, defaults.initialDelay()),
                given.value("maxDelay", Duration.class, defaults.maxDelay()),
                given.value("multiplier", double.class, defaults.multiplier()),
                given.value("jitter", double.class, defaults.jitter()),
                given.valueOrNull("maxDuration", Duration.class));
        given.build(() -> settings.build(name));
        return settings;
    }

    private static Policies.@Nullable BulkheadSettings bulkhead(String name, Layers layers) {
        if (!layers.present() || !layers.enabled(true)) {
            return null;
        }
        BulkheadConfig config = layers.build(Bulkhead.builder(name), BulkheadConfig.Builder::buildConfig);
        return new Policies.BulkheadSettings(config.maxConcurrentCalls(), config.maxWait(), config.maxWaitingCalls());
    }

    private static Policies.@Nullable RateLimitSettings rateLimit(String name, Layers layers) {
        if (!layers.present() || !layers.enabled(true)) {
            return null;
        }
        RateLimiterConfig config = layers.build(RateLimiter.builder(name), RateLimiterConfig.Builder::buildConfig);
        return new Policies.RateLimitSettings(config.permitsPerSecond(), config.burst(), config.maxWait());
    }

    private static Policies.@Nullable HedgeSettings hedge(String name, Layers layers) {
        if (!layers.present() || !layers.enabled(true)) {
            return null;
        }
        HedgeConfig config = layers.build(Hedge.builder(name), HedgeConfig.Builder::buildConfig);
        return new Policies.HedgeSettings(config.delay(), config.maxHedges());
    }

    private static Layers layers(String key, Set<String> allowed, Section global, @Nullable Section own) {
        List<Section> found = new ArrayList<>();
        for (Section layer : own == null ? List.of(global) : List.of(global, own)) {
            Section block = layer.section(key);
            if (block != null) {
                found.add(block.allowOnly(allowed));
            }
        }
        return new Layers(found, own == null ? global : own, key, allowed);
    }

    /** One policy's blocks, global first; a key is read from the last block that has it. */
    private record Layers(List<Section> blocks, Section owner, String key, Set<String> allowed) {
        boolean present() {
            return !blocks.isEmpty();
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

        ConfigFileException error(String setting, String problem) {
            Section at = holder(setting);
            if (at == null) {
                at = blocks.isEmpty() ? owner : blocks.get(blocks.size() - 1);
            }
            return new ConfigFileException(at.file(), at.lineOf(setting), at.field(setting), problem);
        }

        /** The blocks' settings but {@code enabled} and {@code backoff} (which choose, rather than set). */
        BuilderSettings settings() {
            Set<String> settingKeys = new java.util.HashSet<>(allowed);
            settingKeys.removeAll(Set.of("enabled", "backoff"));
            Section last = blocks.isEmpty() ? owner : blocks.get(blocks.size() - 1);
            return BuilderSettings.merge(blocks, settingKeys, Set.of(), Map.of(), last,
                    blocks.isEmpty() ? key : "");
        }

        /** Gives the merged settings to {@code builder} by the one rule and builds with core's checks. */
        <B, C> C build(B builder, java.util.function.Function<B, C> build) {
            BuilderSettings given = settings();
            given.applyTo(builder);
            return given.build(() -> build.apply(builder));
        }
    }
}
