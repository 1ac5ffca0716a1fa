package dev.bulwark.yaml;

import dev.bulwark.fanout.FanOut;
import dev.bulwark.mode.ModeOrchestrator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The YAML's {@code modes:} block: the mode orchestrator's thresholds and what each mode does to {@code /query}.
 *
 * @param orchestrator the gateway's orchestrator (named {@code gateway}), with {@link ModeOrchestrator.Config}'s
 *        defaults for every threshold the block leaves out
 * @param degraded what DEGRADED does (default: strategy {@code first_success}, optional adapters skipped, hedging off)
 * @param emergency what EMERGENCY does (default: answer from the cache only, no adapter called)
 */
public record GatewayModes(ModeOrchestrator.Config orchestrator, Behaviour degraded, Behaviour emergency) {
    /** Requires every part. */
    public GatewayModes {
        Objects.requireNonNull(orchestrator, "orchestrator");
        Objects.requireNonNull(degraded, "degraded");
        Objects.requireNonNull(emergency, "emergency");
    }

    /** The defaults: the orchestrator's own thresholds, {@link Behaviour#degradedDefaults()}, {@link Behaviour#emergencyDefaults()}. */
    public static GatewayModes defaults() {
        return new GatewayModes(ModeOrchestrator.builder(GatewayConfigLoader.FAN_OUT_NAME).buildConfig(),
                Behaviour.degradedDefaults(), Behaviour.emergencyDefaults());
    }

    /**
     * What one mode does to a query.
     *
     * @param strategy the fan-out strategy every query uses in this mode, or null to keep the requested or configured one
     * @param skipOptionalAdapters whether adapters marked {@code optional: true} are left out of the query
     * @param hedging whether hedged requests are sent (false: each adapter's hedge is left out of its pipeline)
     * @param cacheOnly whether the gateway calls no adapter and answers from the last good answers only
     */
    public record Behaviour(FanOut.@Nullable Strategy strategy, boolean skipOptionalAdapters, boolean hedging,
                            boolean cacheOnly) {
        /** DEGRADED's defaults: {@code first_success}, optional adapters skipped, hedging off, adapters still called. */
        public static Behaviour degradedDefaults() {
            return new Behaviour(FanOut.Strategy.FIRST_SUCCESS, true, false, false);
        }

        /** EMERGENCY's defaults: answers from the cache only. */
        public static Behaviour emergencyDefaults() {
            return new Behaviour(null, true, false, true);
        }

        /** NORMAL: the configuration as it is. */
        public static Behaviour normal() {
            return new Behaviour(null, false, true, false);
        }
    }
}
