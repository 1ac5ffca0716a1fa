package dev.bulwark.yaml;

import dev.bulwark.ConfigException;
import dev.bulwark.fanout.FanOut;
import dev.bulwark.mode.ModeOrchestrator;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code modes:} block into {@link GatewayModes}. Values are read by type only; the ranges are the
 * orchestrator config's own, and its {@link ConfigException} is reported at the file and line of the key that gave
 * the field (at the block when the field kept its default).
 */
final class ModesSection {
    static final Set<String> KEYS = Set.of("error_rate", "latency", "channels", "cooldown", "recovery",
            "evaluation_interval", "history_size", "degraded", "emergency");
    private static final Set<String> ERROR_RATE = Set.of("window", "degraded_percent", "emergency_percent", "minimum_calls");
    private static final Set<String> LATENCY = Set.of("window", "degraded", "emergency", "minimum_samples");
    private static final Set<String> CHANNELS = Set.of("degraded_below", "emergency_below", "qos_hysteresis", "smoothing",
            "sustain");
    private static final Set<String> RECOVERY = Set.of("margin", "hold");
    private static final Set<String> BEHAVIOUR = Set.of("strategy", "skip_optional_adapters", "hedging", "cache_only");

    private final Section modes;
    /** The orchestrator's field name to the section and key that gave it. */
    private final Map<String, Map.Entry<Section, String>> given = new HashMap<>();

    private ModesSection(Section modes) {
        this.modes = modes;
    }

    static GatewayModes read(@Nullable Section modes) {
        if (modes == null) {
            return GatewayModes.defaults();
        }
        modes.allowOnly(KEYS);
        return new ModesSection(modes).read();
    }

    private GatewayModes read() {
        ModeOrchestrator.Config defaults = ModeOrchestrator.builder(GatewayConfigLoader.FAN_OUT_NAME).buildConfig();
        ModeOrchestrator.Config.Builder builder = ModeOrchestrator.builder(GatewayConfigLoader.FAN_OUT_NAME);
        Section errors = block("error_rate", ERROR_RATE);
        Section latency = block("latency", LATENCY);
        Section channels = block("channels", CHANNELS);
        Section recovery = block("recovery", RECOVERY);
        builder.errorRate(duration(errors, "window", "errorRateWindow", defaults.errorRateWindow()),
                number(errors, "degraded_percent", "errorRateDegraded", defaults.errorRateDegraded()),
                number(errors, "emergency_percent", "errorRateEmergency", defaults.errorRateEmergency()));
        builder.minimumCalls(integer(errors, "minimum_calls", "minimumCalls", defaults.minimumCalls()));
        builder.latency(duration(latency, "window", "performanceWindow", defaults.performanceWindow()),
                duration(latency, "degraded", "latencyDegraded", defaults.latencyDegraded()),
                duration(latency, "emergency", "latencyEmergency", defaults.latencyEmergency()));
        builder.minimumLatencySamples(integer(latency, "minimum_samples", "minimumLatencySamples",
                defaults.minimumLatencySamples()));
        builder.channels(number(channels, "degraded_below", "channelHealthThreshold", defaults.channelHealthThreshold()),
                number(channels, "emergency_below", "channelEmergencyThreshold", defaults.channelEmergencyThreshold()),
                number(channels, "qos_hysteresis", "qosHysteresis", defaults.qosHysteresis()));
        builder.channelSmoothing(number(channels, "smoothing", "channelSmoothing", defaults.channelSmoothing()));
        builder.channelSustain(duration(channels, "sustain", "channelSustain", defaults.channelSustain()));
        builder.cooldown(duration(modes, "cooldown", "cooldown", defaults.cooldown()));
        builder.recovery(number(recovery, "margin", "recoveryMargin", defaults.recoveryMargin()),
                duration(recovery, "hold", "recoveryHold", defaults.recoveryHold()));
        builder.evaluationInterval(duration(modes, "evaluation_interval", "evaluationInterval", defaults.evaluationInterval()));
        builder.historySize(integer(modes, "history_size", "historySize", defaults.historySize()));
        ModeOrchestrator.Config orchestrator;
        try {
            orchestrator = builder.buildConfig();
        } catch (ConfigException invalid) {
            Map.Entry<Section, String> at = given.get(invalid.field());
            Section section = at == null ? modes : at.getKey();
            String key = at == null ? invalid.field() : at.getValue();
            throw new ConfigFileException(section.file(), at == null ? section.line() : section.lineOf(key),
                    section.field(key), "must be " + invalid.allowed() + ", was " + invalid.value());
        }
        return new GatewayModes(orchestrator, behaviour("degraded", GatewayModes.Behaviour.degradedDefaults()),
                behaviour("emergency", GatewayModes.Behaviour.emergencyDefaults()));
    }

    private Section block(String key, Set<String> keys) {
        Section block = modes.section(key);
        return block == null ? modes.emptyChild(key) : block.allowOnly(keys);
    }

    private GatewayModes.Behaviour behaviour(String mode, GatewayModes.Behaviour defaults) {
        Section block = modes.section(mode);
        if (block == null) {
            return defaults;
        }
        block.allowOnly(BEHAVIOUR);
        FanOut.Strategy strategy = defaults.strategy();
        if (block.has("strategy")) {
            String raw = block.string("strategy", "").trim().toLowerCase(java.util.Locale.ROOT);
            strategy = switch (raw) {
                case "configured" -> null;
                case "all" -> FanOut.Strategy.ALL;
                case "first_success" -> FanOut.Strategy.FIRST_SUCCESS;
                case "best_effort" -> FanOut.Strategy.BEST_EFFORT;
                default -> throw new ConfigFileException(block.file(), block.lineOf("strategy"), block.field("strategy"),
                        "must be all, first_success, best_effort or configured (the query's own), was " + raw);
            };
        }
        return new GatewayModes.Behaviour(strategy, block.bool("skip_optional_adapters", defaults.skipOptionalAdapters()),
                block.bool("hedging", defaults.hedging()), block.bool("cache_only", defaults.cacheOnly()));
    }

    private Duration duration(Section section, String key, String field, Duration fallback) {
        remember(section, key, field);
        return section.duration(key, fallback, Duration.ZERO);
    }

    private double number(Section section, String key, String field, double fallback) {
        remember(section, key, field);
        return section.decimal(key, fallback, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    private int integer(Section section, String key, String field, int fallback) {
        remember(section, key, field);
        return section.integer(key, fallback, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    private void remember(Section section, String key, String field) {
        if (section.has(key)) {
            given.put(field, Map.entry(section, key));
        }
    }
}
