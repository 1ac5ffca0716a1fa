package dev.bulwark.yaml;

import dev.bulwark.ConfigException;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitBreakerBuilder;
import dev.bulwark.circuit.CircuitBreakerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the circuit-breaker keys of a {@code fault_tolerance:} section: the adapter's keys laid over the global
 * ones key by key, including inside the {@code adaptive_threshold:} and {@code health_score:} blocks. Ranges are
 * core's: the config is built here, at load time, and a value the breaker refuses becomes a file-and-line error
 * naming the key, the value and the allowed range.
 */
final class BreakerSection {
    static final Set<String> KEYS = Set.of("failure_threshold", "recovery_timeout", "success_threshold",
            "max_recovery_timeout", "enable_exponential_backoff", "backoff_multiplier", "cleanup_interval",
            "retention_period", "failure_rate_threshold", "slow_call_rate_threshold", "slow_call_duration",
            "window_type", "window_size", "minimum_number_of_calls", "half_open_max_probes", "max_half_open_duration",
            "history_size", "failure_count_threshold", "failure_count_minimum_calls", "adaptive_threshold",
            "health_score");
    private static final Set<String> ADAPTIVE = Set.of("enabled", "ewma_alpha", "sensitivity");
    private static final Set<String> HEALTH = Set.of("track_latency", "latency_samples", "min_health_score",
            "recovery_score");
    /** Window sizes when only {@code window_type} is given: calls for a count window, seconds for a time window. */
    static final int DEFAULT_COUNT_WINDOW = 100;
    static final int DEFAULT_TIME_WINDOW = 60;
    /** Core field names (in ConfigException) to YAML keys. */
    private static final Map<String, String> FIELD_TO_KEY = Map.ofEntries(
            Map.entry("consecutiveFailureThreshold", "failure_threshold"), Map.entry("recoveryTimeout", "recovery_timeout"),
            Map.entry("successThreshold", "success_threshold"), Map.entry("maxRecoveryTimeout", "max_recovery_timeout"),
            Map.entry("backoffMultiplier", "backoff_multiplier"), Map.entry("cleanupInterval", "cleanup_interval"),
            Map.entry("retentionPeriod", "retention_period"), Map.entry("failureRateThreshold", "failure_rate_threshold"),
            Map.entry("slowCallRateThreshold", "slow_call_rate_threshold"), Map.entry("slowCallDuration", "slow_call_duration"),
            Map.entry("windowSize", "window_size"), Map.entry("minimumNumberOfCalls", "minimum_number_of_calls"),
            Map.entry("halfOpenMaxProbes", "half_open_max_probes"), Map.entry("maxHalfOpenDuration", "max_half_open_duration"),
            Map.entry("historySize", "history_size"), Map.entry("failureCountThreshold", "failure_count_threshold"),
            Map.entry("failureCountMinimumCalls", "failure_count_minimum_calls"), Map.entry("ewmaAlpha", "adaptive_threshold.ewma_alpha"),
            Map.entry("adaptiveSensitivity", "adaptive_threshold.sensitivity"),
            Map.entry("latencySamples", "health_score.latency_samples"),
            Map.entry("minHealthScore", "health_score.min_health_score"),
            Map.entry("healthRecoveryScore", "health_score.recovery_score"));

    private BreakerSection() {
    }

    /** The breaker of adapter {@code name}: defaults, then the global keys, then the adapter's ({@code own}, may be null). */
    static CircuitBreakerConfig read(String name, Section global, @Nullable Section own) {
        List<Section> layers = own == null ? List.of(global) : List.of(global, own);
        CircuitBreakerBuilder builder = CircuitBreaker.builder(name).trackLatency(true);
        String windowType = "count";
        Integer windowSize = null;
        int failureCount = 0;
        Integer failureCountCalls = null;
        for (Section layer : layers) {
            read(layer, builder);
            if (layer.has("failure_count_threshold")) {
                failureCount = layer.integer("failure_count_threshold", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
            }
            if (layer.has("failure_count_minimum_calls")) {
                failureCountCalls = layer.integer("failure_count_minimum_calls", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
            }
            if (layer.has("window_type")) {
                windowType = layer.string("window_type", windowType).toLowerCase(Locale.ROOT);
                if (!windowType.equals("count") && !windowType.equals("time")) {
                    throw new ConfigFileException(layer.file(), layer.lineOf("window_type"), layer.field("window_type"),
                            "must be count or time, was " + windowType);
                }
            }
            if (layer.has("window_size")) {
                windowSize = layer.integer("window_size", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
            }
            Section adaptive = layer.section("adaptive_threshold");
            if (adaptive != null) {
                adaptive.allowOnly(ADAPTIVE);
                if (adaptive.has("enabled")) {
                    builder.adaptiveThreshold(adaptive.bool("enabled", false));
                }
                if (adaptive.has("ewma_alpha")) {
                    builder.ewmaAlpha(adaptive.decimal("ewma_alpha", 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
                }
                if (adaptive.has("sensitivity")) {
                    builder.adaptiveSensitivity(adaptive.decimal("sensitivity", 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
                }
            }
            Section health = layer.section("health_score");
            if (health != null) {
                health.allowOnly(HEALTH);
                if (health.has("track_latency")) {
                    builder.trackLatency(health.bool("track_latency", true));
                }
                if (health.has("latency_samples")) {
                    builder.latencySamples(health.integer("latency_samples", 0, Integer.MIN_VALUE, Integer.MAX_VALUE));
                }
                if (health.has("min_health_score")) {
                    builder.minHealthScore(health.decimal("min_health_score", 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
                }
                if (health.has("recovery_score")) {
                    builder.healthRecoveryScore(health.decimal("recovery_score", 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
                }
            }
        }
        if (failureCount != 0 || failureCountCalls != null) {
            // the minimum defaults to the count itself: "N failures" with no further condition on the calls
            builder.failureCountThreshold(failureCount, failureCountCalls == null ? failureCount : failureCountCalls);
        }
        if (windowType.equals("time")) {
            builder.timeWindow(windowSize == null ? DEFAULT_TIME_WINDOW : windowSize);
        } else {
            builder.countWindow(windowSize == null ? DEFAULT_COUNT_WINDOW : windowSize);
        }
        try {
            return builder.buildConfig();
        } catch (ConfigException invalid) {
            throw located(invalid, layers);
        }
    }

    /** The flat keys of one layer. */
    private static void read(Section layer, CircuitBreakerBuilder builder) {
        if (layer.has("failure_threshold")) {
            builder.consecutiveFailureThreshold(layer.integer("failure_threshold", 5, 0, 1_000_000));
        }
        if (layer.has("success_threshold")) {
            builder.successThreshold(layer.integer("success_threshold", 3, 1, 1_000_000));
        }
        if (layer.has("half_open_max_probes")) {
            builder.halfOpenMaxProbes(layer.integer("half_open_max_probes", 0, Integer.MIN_VALUE, Integer.MAX_VALUE));
        }
        if (layer.has("recovery_timeout")) {
            builder.recoveryTimeout(layer.duration("recovery_timeout", Duration.ofSeconds(60), Duration.ofMillis(1)));
        }
        if (layer.has("max_recovery_timeout")) {
            builder.maxRecoveryTimeout(layer.duration("max_recovery_timeout", Duration.ofSeconds(300), Duration.ofMillis(1)));
        }
        if (layer.has("enable_exponential_backoff")) {
            builder.exponentialBackoff(layer.bool("enable_exponential_backoff", true));
        }
        if (layer.has("backoff_multiplier")) {
            builder.backoffMultiplier(layer.decimal("backoff_multiplier", 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
        }
        if (layer.has("cleanup_interval")) {
            builder.cleanupInterval(layer.duration("cleanup_interval", Duration.ofHours(1), Duration.ofMillis(1)));
        }
        if (layer.has("retention_period")) {
            builder.retentionPeriod(layer.duration("retention_period", Duration.ofHours(24), Duration.ofMillis(1)));
        }
        if (layer.has("failure_rate_threshold")) {
            builder.failureRateThreshold(layer.decimal("failure_rate_threshold", 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
        }
        if (layer.has("slow_call_rate_threshold")) {
            builder.slowCallRateThreshold(layer.decimal("slow_call_rate_threshold", 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
        }
        if (layer.has("slow_call_duration")) {
            builder.slowCallDuration(layer.duration("slow_call_duration", Duration.ZERO, Duration.ZERO));
        }
        if (layer.has("minimum_number_of_calls")) {
            builder.minimumNumberOfCalls(layer.integer("minimum_number_of_calls", 0, Integer.MIN_VALUE, Integer.MAX_VALUE));
        }
        if (layer.has("max_half_open_duration")) {
            builder.maxHalfOpenDuration(layer.duration("max_half_open_duration", Duration.ofSeconds(60), Duration.ZERO));
        }
        if (layer.has("history_size")) {
            builder.historySize(layer.integer("history_size", 0, Integer.MIN_VALUE, Integer.MAX_VALUE));
        }
    }

    /** Core's refusal as an error on the key in the file that set it (the adapter's layer first). */
    private static ConfigFileException located(ConfigException invalid, List<Section> layers) {
        String mapped = FIELD_TO_KEY.getOrDefault(invalid.field(), invalid.field());
        // half-open probes default to the success threshold
        String key = mapped.equals("half_open_max_probes") && layers.stream().noneMatch(layer -> layer.has(mapped))
                ? "success_threshold" : mapped;
        String problem = "must be " + invalid.allowed() + ", was " + invalid.value();
        int dot = key.indexOf('.');
        for (int i = layers.size() - 1; i >= 0; i--) {
            Section at = dot < 0 ? layers.get(i) : layers.get(i).section(key.substring(0, dot));
            String leaf = dot < 0 ? key : key.substring(dot + 1);
            if (at != null && at.has(leaf)) {
                return new ConfigFileException(at.file(), at.lineOf(leaf), at.field(leaf), problem);
            }
        }
        Section owner = layers.get(layers.size() - 1);
        return new ConfigFileException(owner.file(), owner.line(), owner.field(key), problem);
    }
}
