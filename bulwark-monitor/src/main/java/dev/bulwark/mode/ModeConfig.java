package dev.bulwark.mode;

import dev.bulwark.ConfigException;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.TimedBuilder;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The immutable settings of a mode orchestrator. Defaults: error rate 10 % for DEGRADED and 50 % for EMERGENCY
 * over a 30 s window with at least 10 calls; mean latency 1 s / 5 s over 60 s with at least 10 samples; channel
 * health below 0.5 DEGRADED, below 0.2 EMERGENCY, once the drop exceeds the hysteresis or has lasted 30 s (channel
 * sustain); QoS hysteresis 0.1; channel smoothing 0.3; 30 s cooldown; recovery once every signal is 20 % better
 * than its threshold (margin 0.8) for 60 s and the probe passes, one level at a time; evaluation at most every
 * 1 s; 100 changes kept. How these rules work together is documented on {@link ModeOrchestrator}.
 *
 * @param name the orchestrator's name
 * @param errorRateWindow the sliding error-rate window
 * @param errorRateDegraded error share in [0, 1] that means DEGRADED
 * @param errorRateEmergency error share that means EMERGENCY
 * @param minimumCalls calls the window must hold before the error rate counts
 * @param performanceWindow the sliding latency window; older samples are dropped
 * @param latencyDegraded mean latency that means DEGRADED
 * @param latencyEmergency mean latency that means EMERGENCY
 * @param minimumLatencySamples samples the window must hold before latency counts (default 10)
 * @param channelHealthThreshold smoothed channel score below which a channel means DEGRADED
 * @param channelEmergencyThreshold smoothed channel score below which a channel means EMERGENCY
 * @param qosHysteresis how far a channel's score must have moved since it last triggered (default 0.1)
 * @param channelSmoothing EWMA weight of each new channel report, in (0, 1]
 * @param channelSustain a channel below a threshold for this long escalates even when its drop is within the
 *        hysteresis (default 30 s, the error-rate window): the hysteresis stops brief dips, not sustained degradation
 * @param cooldown no switch for this long after a switch
 * @param recoveryMargin recovery needs every signal below its threshold times this, in (0, 1]
 * @param recoveryHold how long the signals must stay that good before stepping down
 * @param recoveryProbe a last test before stepping down; false keeps the mode
 * @param evaluationInterval how often recording re-evaluates the mode at most
 * @param historySize mode changes kept
 * @param clock the time source
 * @param scheduler used for periodic evaluation once started
 */
public record ModeConfig(String name, Duration errorRateWindow, double errorRateDegraded, double errorRateEmergency,
                         int minimumCalls, Duration performanceWindow, Duration latencyDegraded,
                         Duration latencyEmergency, int minimumLatencySamples, double channelHealthThreshold,
                         double channelEmergencyThreshold, double qosHysteresis, double channelSmoothing,
                         Duration channelSustain, Duration cooldown, double recoveryMargin, Duration recoveryHold, BooleanSupplier recoveryProbe,
                         Duration evaluationInterval, int historySize, Clock clock, Scheduler scheduler) {

    /** Validates every field. */
    public ModeConfig {
        String who = "mode orchestrator '" + Checks.name("mode orchestrator", name) + "'";
        windowOf(who, "errorRateWindow", errorRateWindow);
        Checks.aboveAndAtMost(who, "errorRateDegraded", errorRateDegraded, 0, 1);
        Checks.between(who, "errorRateEmergency", errorRateEmergency, errorRateDegraded, 1);
        Checks.atLeast(who, "minimumCalls", minimumCalls, 1);
        windowOf(who, "performanceWindow", performanceWindow);
        Checks.positive(who, "latencyDegraded", latencyDegraded);
        Checks.positive(who, "latencyEmergency", latencyEmergency);
        if (latencyEmergency.compareTo(latencyDegraded) < 0) {
            throw new ConfigException(who, "latencyEmergency", latencyEmergency, ">= latencyDegraded (" + latencyDegraded + ")");
        }
        Checks.atLeast(who, "minimumLatencySamples", minimumLatencySamples, 1);
        Checks.between(who, "channelHealthThreshold", channelHealthThreshold, 0, 1);
        Checks.between(who, "channelEmergencyThreshold", channelEmergencyThreshold, 0, channelHealthThreshold);
        Checks.between(who, "qosHysteresis", qosHysteresis, 0, 1);
        Checks.aboveAndAtMost(who, "channelSmoothing", channelSmoothing, 0, 1);
        Checks.notNegative(who, "channelSustain", channelSustain);
        Checks.notNegative(who, "cooldown", cooldown);
        Checks.aboveAndAtMost(who, "recoveryMargin", recoveryMargin, 0, 1);
        Checks.notNegative(who, "recoveryHold", recoveryHold);
        Objects.requireNonNull(recoveryProbe, "recoveryProbe");
        Checks.positive(who, "evaluationInterval", evaluationInterval);
        Checks.between(who, "historySize", historySize, 1, 10_000);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
    }

    private static void windowOf(String who, String field, Duration window) {
        if (window == null || window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigException(who, field, window, "between 1 s and 1 h");
        }
    }

    /** A builder with the defaults. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a {@link ModeConfig} or a {@link ModeOrchestrator}. Each setting may be given once; a second call fails naming it. Not thread-safe. */
    public static final class Builder extends TimedBuilder<Builder> {
        private final String name;
        private Duration errorRateWindow = Duration.ofMillis(30_000);
        private double errorRateDegraded = 0.1;
        private double errorRateEmergency = 0.5;
        private int minimumCalls = 10;
        private Duration performanceWindow = Duration.ofSeconds(60);
        private Duration latencyDegraded = Duration.ofSeconds(1);
        private Duration latencyEmergency = Duration.ofSeconds(5);
        private int minimumLatencySamples = 10;
        private double channelHealthThreshold = 0.5;
        private double channelEmergencyThreshold = 0.2;
        private double qosHysteresis = 0.1;
        private double channelSmoothing = 0.3;
        private Duration channelSustain = Duration.ofSeconds(30);
        private Duration cooldown = Duration.ofSeconds(30);
        private double recoveryMargin = 0.8;
        private Duration recoveryHold = Duration.ofSeconds(60);
        private BooleanSupplier recoveryProbe = () -> true;
        private Duration evaluationInterval = Duration.ofSeconds(1);
        private int historySize = 100;

        private Builder(String name) {
            this.name = name;
        }

        @Override
        protected String component() {
            return "mode '" + name + "'";
        }

        /** The error-rate window and the shares that mean DEGRADED and EMERGENCY. */
        public Builder errorRate(Duration window, double degraded, double emergency) {
            given("errorRate");
            this.errorRateWindow = window;
            this.errorRateDegraded = degraded;
            this.errorRateEmergency = emergency;
            return this;
        }

        /** Calls the window must hold before the error rate counts (default 10). */
        public Builder minimumCalls(int calls) {
            given("minimumCalls");
            this.minimumCalls = calls;
            return this;
        }

        /** The latency window and the mean latencies that mean DEGRADED and EMERGENCY. */
        public Builder latency(Duration window, Duration degraded, Duration emergency) {
            given("latency");
            this.performanceWindow = window;
            this.latencyDegraded = degraded;
            this.latencyEmergency = emergency;
            return this;
        }

        /** Latency samples the window must hold before latency counts (default 10). */
        public Builder minimumLatencySamples(int samples) {
            given("minimumLatencySamples");
            this.minimumLatencySamples = samples;
            return this;
        }

        /** Channel scores below which a channel means DEGRADED and EMERGENCY, and the QoS hysteresis. */
        public Builder channels(double degradedBelow, double emergencyBelow, double hysteresis) {
            given("channels");
            this.channelHealthThreshold = degradedBelow;
            this.channelEmergencyThreshold = emergencyBelow;
            this.qosHysteresis = hysteresis;
            return this;
        }

        /** The weight of each new channel report in its smoothed score (default 0.3). */
        public Builder channelSmoothing(double alpha) {
            given("channelSmoothing");
            this.channelSmoothing = alpha;
            return this;
        }

        /**
         * How long a channel may stay below a threshold before it escalates even with a drop within the hysteresis
         * (default 30 s).
         */
        public Builder channelSustain(Duration sustain) {
            given("channelSustain");
            this.channelSustain = sustain;
            return this;
        }

        /** No switch for this long after a switch (default 30 s). */
        public Builder cooldown(Duration cooldown) {
            given("cooldown");
            this.cooldown = cooldown;
            return this;
        }

        /** Recovery needs every signal below threshold x {@code margin} for {@code hold} (defaults 0.8, 60 s). */
        public Builder recovery(double margin, Duration hold) {
            given("recovery");
            this.recoveryMargin = margin;
            this.recoveryHold = hold;
            return this;
        }

        /** A last test before each step down (default: always passes). */
        public Builder recoveryProbe(BooleanSupplier probe) {
            given("recoveryProbe");
            this.recoveryProbe = probe;
            return this;
        }

        /** How often recording re-evaluates the mode at most (default 1 s). */
        public Builder evaluationInterval(Duration interval) {
            given("evaluationInterval");
            this.evaluationInterval = interval;
            return this;
        }

        /** Mode changes kept (default 100). */
        public Builder historySize(int size) {
            given("historySize");
            this.historySize = size;
            return this;
        }

        /** The config. @throws ConfigException for an invalid setting */
        public ModeConfig buildConfig() {
            return new ModeConfig(name, errorRateWindow, errorRateDegraded, errorRateEmergency, minimumCalls,
                    performanceWindow, latencyDegraded, latencyEmergency, minimumLatencySamples, channelHealthThreshold,
                    channelEmergencyThreshold, qosHysteresis, channelSmoothing, channelSustain, cooldown, recoveryMargin, recoveryHold,
                    recoveryProbe, evaluationInterval, historySize, configuredClock(), configuredScheduler());
        }

        /** The orchestrator. @throws ConfigException for an invalid setting */
        public ModeOrchestrator build() {
            return new DefaultModeOrchestrator(buildConfig());
        }
    }
}
