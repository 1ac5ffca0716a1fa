package dev.bulwark.mode;

import dev.bulwark.ConfigException;
import dev.bulwark.TimedBuilder;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import dev.bulwark.event.Registry;
import dev.bulwark.health.HealthStatus;
import dev.bulwark.internal.Checks;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * Decides the system's mode (NORMAL, DEGRADED, EMERGENCY) from what it is fed: call outcomes and latencies
 * (sliding time windows), channel health scores, resource and health status, and operator overrides.
 *
 * <pre>{@code
 * ModeOrchestrator modes = ModeOrchestrator.builder("system").build();
 * EventSource.Subscription wiring = modes.feedFrom(registry);      // every circuit breaker and health monitor feeds it
 * if (modes.isActive(Mode.EMERGENCY)) { return cachedAnswer(); }
 * }</pre>
 *
 * <p><b>Escalation and cooldown.</b> Any trigger may escalate at once, straight to the worst mode the signals call
 * for, unless the {@code cooldown} (default 30 s) after the last switch is still running; nothing else delays an
 * escalation. An escalation held back by the cooldown publishes {@link Event.Held} with the cooldown's end.
 * {@link #force} ignores the cooldown.
 *
 * <p><b>Recovery hold.</b> Recovery goes one level at a time. It starts a hold once every signal is better than its
 * threshold by the {@code recoveryMargin} (default 0.8: error rate and mean latency below 80 % of their DEGRADED /
 * EMERGENCY thresholds, channel scores above the thresholds divided by 0.8); the signals must stay that good for
 * the {@code recoveryHold} (default 60 s), then the {@code recoveryProbe} must pass (a failing or throwing probe
 * starts the hold again), and the step down never comes before the cooldown after the last switch has passed. The
 * {@link Event.Held} event states when the step down can come at the earliest; a signal getting worse again
 * cancels the hold.
 *
 * <p><b>Channels.</b> Each channel's reports are smoothed by an EWMA (weight {@code channelSmoothing}, default
 * 0.3). A channel escalates when its smoothed score is below a threshold (DEGRADED below 0.5, EMERGENCY below 0.2
 * by default) and has either dropped more than the {@code qosHysteresis} (default 0.1) from its reference (its last
 * score at or above the DEGRADED threshold, or the score at which it last triggered a switch) or stayed below that
 * threshold for the {@code channelSustain} period (default 30 s).
 *
 * <p>Recording takes no lock; the mode is re-evaluated at most once per evaluation interval (default 1 s), or on
 * {@link #evaluate()}. This interface's implementation is thread-safe.
 */
public interface ModeOrchestrator extends Component, EventSource<ModeOrchestrator.Event> {

    /** A builder for an orchestrator called {@code name}. */
    static Config.Builder builder(String name) {
        return Config.builder(name);
    }

    /** The orchestrator {@code config} describes, not started yet. */
    static ModeOrchestrator of(Config config) {
        return new DefaultModeOrchestrator(java.util.Objects.requireNonNull(config, "config"));
    }

    /** This orchestrator's settings. */
    Config config();

    /** A call that succeeded after {@code latencyNanos} (negative when not measured). */
    void recordSuccess(long latencyNanos);

    /** A call that failed after {@code latencyNanos} (negative when not measured). */
    void recordFailure(long latencyNanos);

    /** A named channel's health score in [0, 1] (a circuit breaker's health score, a link's QoS...). */
    void reportChannel(String channel, double score);

    /** A resource's state as the mode it implies (NORMAL when fine); the worst resource counts. */
    void reportResource(String resource, Mode implied);

    /** The health monitor's aggregate: DEGRADED means DEGRADED, UNHEALTHY means EMERGENCY. */
    void reportHealth(HealthStatus status);

    /** Forces at least {@code mode} until {@link #release()}, at once and regardless of the cooldown. */
    void force(Mode mode, String reason);

    /** Ends a {@link #force}; the mode then recovers like any other. */
    void release();

    /** Re-evaluates the triggers now. */
    void evaluate();

    /**
     * Re-evaluates every evaluation interval on the scheduler, so the mode recovers even when no call arrives.
     * Starting twice does nothing.
     */
    void start();

    /** Stops the periodic evaluation; nothing is left scheduled. */
    void stop();

    /**
     * The signals as the triggers see them now, the same keys as {@link ModeChange#snapshot()}: {@code calls} (calls
     * in the error-rate window), {@code errorRatePercent} (failure percentage in [0, 100], like every rate in Bulwark, present once the window holds
     * {@code minimumCalls}), {@code latencySamples} (latencies in the performance window), {@code meanLatencyMillis}
     * (present once the window holds {@code minimumLatencySamples}) and {@code channel:<name>} (each channel's
     * smoothed score in [0, 1]). Resource, health and forced modes are not metrics; they show in a change's trigger
     * and reason.
     */
    java.util.Map<String, Double> metrics();

    /** The current mode. */
    Mode mode();

    /** True when the current mode is at least {@code mode}: one volatile read, for hot paths downstream. */
    boolean isActive(Mode mode);

    /** The change that put the system in its current non-NORMAL mode; empty in NORMAL. */
    Optional<ModeChange> notification();

    /** Completes when the mode reaches at least {@code mode} (at once if it already has). */
    CompletionStage<ModeChange> whenActive(Mode mode);

    /**
     * Blocks until the mode reaches at least {@code mode} or {@code timeout} passes.
     *
     * @return whether the mode was reached
     */
    boolean awaitActive(Mode mode, Duration timeout) throws InterruptedException;

    /** Recent mode changes, oldest first, bounded by {@code historySize}. */
    List<ModeChange> history();

    /**
     * Feeds this orchestrator from every circuit breaker (outcomes, latencies, and its state and health score
     * as channel {@code circuit:<name>}) and health monitor in {@code registry}, now and as they are registered.
     * Cancel the subscription to stop.
     */
    EventSource.Subscription feedFrom(Registry registry);

    @Override
    default Class<? extends Component> kind() {
        return ModeOrchestrator.class;
    }

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
     * @param errorRateDegraded error percentage that means DEGRADED, in (0, 100] (like every rate in Bulwark, a
     *        percentage)
     * @param errorRateEmergency error percentage that means EMERGENCY, in [errorRateDegraded, 100]
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
     * @param clock the time source; a recorded call lands in the window second of the clock's
     *        {@link Clock#coarseNanoTime() coarse reading} (with {@link Clock#system()} right to about a millisecond,
     *        so a call ending within a millisecond of a second's edge may count in the neighbouring second), while
     *        evaluations, channel reports and cooldowns read {@link Clock#nanoTime()}
     * @param scheduler used for periodic evaluation once started
     */
    public record Config(String name, Duration errorRateWindow, double errorRateDegraded, double errorRateEmergency,
                             int minimumCalls, Duration performanceWindow, Duration latencyDegraded,
                             Duration latencyEmergency, int minimumLatencySamples, double channelHealthThreshold,
                             double channelEmergencyThreshold, double qosHysteresis, double channelSmoothing,
                             Duration channelSustain, Duration cooldown, double recoveryMargin, Duration recoveryHold, BooleanSupplier recoveryProbe,
                             Duration evaluationInterval, int historySize, Clock clock, Scheduler scheduler) {

        /** Validates every field. */
        public Config {
            String who = "mode orchestrator '" + Checks.name("mode orchestrator", name) + "'";
            ModeConfigChecks.errorRate(who, errorRateWindow, errorRateDegraded, errorRateEmergency, minimumCalls);
            ModeConfigChecks.latency(who, performanceWindow, latencyDegraded, latencyEmergency, minimumLatencySamples);
            ModeConfigChecks.channels(who, channelHealthThreshold, channelEmergencyThreshold, qosHysteresis,
                    channelSmoothing, channelSustain);
            ModeConfigChecks.recovery(who, cooldown, recoveryMargin, recoveryHold, recoveryProbe);
            Checks.positive(who, "evaluationInterval", evaluationInterval);
            Checks.between(who, "historySize", historySize, 1, 10_000);
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(scheduler, "scheduler");
        }

        /** A builder with the defaults. */
        public static Builder builder(String name) {
            return new Builder(name);
        }

        /** A builder starting from this config's values, none of them given yet, so each may be overridden once. */
        public Builder toBuilder() {
            Builder builder = new Builder(this);
            builder.errorRateWindow = errorRateWindow;
            builder.errorRateDegraded = errorRateDegraded;
            builder.errorRateEmergency = errorRateEmergency;
            builder.minimumCalls = minimumCalls;
            builder.performanceWindow = performanceWindow;
            builder.latencyDegraded = latencyDegraded;
            builder.latencyEmergency = latencyEmergency;
            builder.minimumLatencySamples = minimumLatencySamples;
            builder.channelHealthThreshold = channelHealthThreshold;
            builder.channelEmergencyThreshold = channelEmergencyThreshold;
            builder.qosHysteresis = qosHysteresis;
            builder.channelSmoothing = channelSmoothing;
            builder.channelSustain = channelSustain;
            builder.cooldown = cooldown;
            builder.recoveryMargin = recoveryMargin;
            builder.recoveryHold = recoveryHold;
            builder.recoveryProbe = recoveryProbe;
            builder.evaluationInterval = evaluationInterval;
            builder.historySize = historySize;
            return builder;
        }

        /** Builds a {@link Config} or a {@link ModeOrchestrator}. Each setting may be given once; a second call fails naming it. Not thread-safe. */
        public static final class Builder extends TimedBuilder<Builder> {
            private final String name;
            private Duration errorRateWindow = Duration.ofMillis(30_000);
            private double errorRateDegraded = 10;
            private double errorRateEmergency = 50;
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

            private Builder(Config config) {
                this(config.name());
                startFrom(config.clock(), config.scheduler());
            }

            @Override
            protected String component() {
                return "mode '" + name + "'";
            }

            /**
             * The error-rate window and the error percentages that mean DEGRADED and EMERGENCY (defaults 30 s, 10 %,
             * 50 %).
             */
            public Builder errorRate(Duration window, double degradedPercent, double emergencyPercent) {
                given("errorRate");
                this.errorRateWindow = window;
                this.errorRateDegraded = degradedPercent;
                this.errorRateEmergency = emergencyPercent;
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
            public Config buildConfig() {
                return new Config(name, errorRateWindow, errorRateDegraded, errorRateEmergency, minimumCalls,
                        performanceWindow, latencyDegraded, latencyEmergency, minimumLatencySamples, channelHealthThreshold,
                        channelEmergencyThreshold, qosHysteresis, channelSmoothing, channelSustain, cooldown, recoveryMargin, recoveryHold,
                        recoveryProbe, evaluationInterval, historySize, configuredClock(), configuredScheduler());
            }

            /** The orchestrator. @throws ConfigException for an invalid setting */
            public ModeOrchestrator build() {
                return ModeOrchestrator.of(buildConfig());
            }
        }
    }

    /** What a mode orchestrator reports. */
    sealed interface Event {

        /** The orchestrator's name. */
        String name();

        /** The mode changed. */
        record Changed(String name, ModeChange change) implements Event {
        }

        /** A switch was due but held back until {@code untilWallMillis}, by the cooldown or the recovery hold. */
        record Held(String name, Mode wanted, String because, long untilWallMillis) implements Event {
        }
    }
}
