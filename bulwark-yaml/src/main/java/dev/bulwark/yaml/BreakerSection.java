package dev.bulwark.yaml;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitBreakerConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the circuit-breaker keys of a {@code fault_tolerance:} section: the adapter's keys laid over the global
 * ones key by key, including inside the {@code adaptive_threshold:} and {@code health_score:} blocks. Keys map to
 * {@link CircuitBreakerConfig.Builder} settings by {@link BuilderSettings}' one rule (snake_case of the setting)
 * save the aliases below; ranges and defaults are core's, except that the gateway tracks latency unless
 * {@code health_score.track_latency} says otherwise.
 */
final class BreakerSection {
    static final Set<String> KEYS = Set.of("failure_threshold", "recovery_timeout", "success_threshold",
            "max_recovery_timeout", "enable_exponential_backoff", "backoff_multiplier", "cleanup_interval",
            "retention_period", "failure_rate_threshold", "slow_call_rate_threshold", "slow_call_duration",
            "window_type", "window_size", "minimum_number_of_calls", "half_open_max_probes", "max_half_open_duration",
            "history_size", "failure_count_threshold", "failure_count_minimum_calls", "adaptive_threshold",
            "health_score");
    static final Set<String> ADAPTIVE = Set.of("enabled", "ewma_alpha", "sensitivity");
    static final Set<String> HEALTH = Set.of("track_latency", "latency_samples", "min_health_score",
            "recovery_score");
    private static final Set<String> NESTED = Set.of("adaptive_threshold", "health_score");
    /** The file format's spellings that are not the snake_case of core's setting: the only exceptions to the rule. */
    static final Map<String, String> ALIASES = Map.of(
            "failure_threshold", "consecutiveFailureThreshold",
            "enable_exponential_backoff", "exponentialBackoff",
            "adaptive_threshold.enabled", "adaptiveThreshold",
            "adaptive_threshold.sensitivity", "adaptiveSensitivity",
            "health_score.recovery_score", "healthRecoveryScore");

    private BreakerSection() {
    }

    /** The breaker of adapter {@code name}: defaults, then the global keys, then the adapter's ({@code own}, may be null). */
    static CircuitBreakerConfig read(String name, Section global, @Nullable Section own) {
        List<Section> layers = own == null ? List.of(global) : List.of(global, own);
        for (Section layer : layers) {
            Section adaptive = layer.section("adaptive_threshold");
            if (adaptive != null) {
                adaptive.allowOnly(ADAPTIVE);
            }
            Section health = layer.section("health_score");
            if (health != null) {
                health.allowOnly(HEALTH);
            }
        }
        BuilderSettings settings = BuilderSettings.merge(layers, KEYS, NESTED, ALIASES, layers.get(layers.size() - 1), "");
        CircuitBreakerConfig.Builder builder = CircuitBreaker.builder(name);
        settings.applyTo(builder);
        if (!settings.has("trackLatency")) {
            builder.trackLatency(true);
        }
        return settings.build(builder::buildConfig);
    }
}
