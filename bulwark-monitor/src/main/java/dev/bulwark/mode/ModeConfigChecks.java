package dev.bulwark.mode;

import dev.bulwark.ConfigException;
import dev.bulwark.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The checks of {@link ModeOrchestrator.Config}, grouped by the trigger they govern: error rate, latency, channels
 * and recovery. Each names the field, the value and the allowed range.
 */
final class ModeConfigChecks {
    private ModeConfigChecks() {
    }

    static void errorRate(String who, Duration window, double degraded, double emergency, int minimumCalls) {
        windowOf(who, "errorRateWindow", window);
        Checks.aboveAndAtMost(who, "errorRateDegraded", degraded, 0, 100);
        Checks.between(who, "errorRateEmergency", emergency, degraded, 100);
        Checks.atLeast(who, "minimumCalls", minimumCalls, 1);
    }

    static void latency(String who, Duration window, Duration degraded, Duration emergency, int minimumSamples) {
        windowOf(who, "performanceWindow", window);
        Checks.positive(who, "latencyDegraded", degraded);
        Checks.positive(who, "latencyEmergency", emergency);
        if (emergency.compareTo(degraded) < 0) {
            throw new ConfigException(who, "latencyEmergency", emergency, ">= latencyDegraded (" + degraded + ")");
        }
        Checks.atLeast(who, "minimumLatencySamples", minimumSamples, 1);
    }

    static void channels(String who, double healthThreshold, double emergencyThreshold, double qosHysteresis,
                         double smoothing, Duration sustain) {
        Checks.between(who, "channelHealthThreshold", healthThreshold, 0, 1);
        Checks.between(who, "channelEmergencyThreshold", emergencyThreshold, 0, healthThreshold);
        Checks.between(who, "qosHysteresis", qosHysteresis, 0, 1);
        Checks.aboveAndAtMost(who, "channelSmoothing", smoothing, 0, 1);
        Checks.notNegative(who, "channelSustain", sustain);
    }

    static void recovery(String who, Duration cooldown, double margin, Duration hold, BooleanSupplier probe) {
        Checks.notNegative(who, "cooldown", cooldown);
        Checks.aboveAndAtMost(who, "recoveryMargin", margin, 0, 1);
        Checks.notNegative(who, "recoveryHold", hold);
        Objects.requireNonNull(probe, "recoveryProbe");
    }

    private static void windowOf(String who, String field, Duration window) {
        if (window == null || window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigException(who, field, window, "between 1 s and 1 h");
        }
    }
}
