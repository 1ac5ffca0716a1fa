package dev.bulwark.failover;

import dev.bulwark.ConfigException;
import dev.bulwark.TimedBuilder;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import dev.bulwark.internal.Checks;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * A primary instance and, when needed, a hot standby, with {@link #current()} always naming the instance
 * to route to, for any resource the user can provision (no vendor specifics).
 *
 * <p>Signals: an {@linkplain #earlyWarning early warning} is scored from {@link RiskFactors}; in AUTO mode a
 * score at or above the threshold (0.30) provisions a hot standby. {@linkplain #imminentLoss Imminent loss}
 * or a {@linkplain #healthFailure health failure} promotes a ready standby at once, or, with none, runs
 * emergency recovery (create, restore, switch) within the termination grace period (120 s). MANUAL mode
 * keeps a standby at all times and switches only when told; AUTO and MANUAL exclude each other: enabling
 * one while the other is on fails with an {@link IllegalStateException} and changes nothing.
 *
 * <p>This interface's implementation is thread-safe: signals may arrive concurrently.
 *
 * @param <T> the instance type
 */
public interface FailoverGroup<T> extends Component, EventSource<FailoverGroup.Event> {

    /** A builder for a group called {@code name} starting on {@code primary}. */
    static <T> Config.Builder<T> builder(String name, T primary, Provisioner<T> provisioner) {
        return new Config.Builder<>(name, primary, provisioner);
    }

    /** The group {@code config} describes, in OFF mode on its primary. */
    static <T> FailoverGroup<T> of(Config<T> config) {
        return new DefaultFailoverGroup<>(Objects.requireNonNull(config, "config"));
    }

    /** This group's settings. */
    Config<T> config();

    /** The instance to route to now. Never null. */
    T current();

    /** The hot standby, if one exists (ready or not). */
    Optional<T> standby();

    /** True when a standby exists and is ready to take traffic. */
    boolean standbyReady();

    /** Who decides now. */
    ControlMode mode();

    /** Turns AUTO on. @throws IllegalStateException if MANUAL is on */
    void enableAuto();

    /** Turns AUTO off (to OFF); the standby, if any, stays. */
    void disableAuto();

    /**
     * Turns MANUAL on and provisions a standby; the stage completes when it is ready.
     *
     * @throws IllegalStateException if AUTO is on
     */
    CompletionStage<T> enableManual();

    /** Turns MANUAL off (to OFF) and terminates the standby. */
    CompletionStage<Void> disableManual();

    /**
     * Switches to the ready standby, then provisions a new one (MANUAL only). The stage fails with an
     * {@link IllegalStateException} when not in MANUAL or when the standby is not ready yet.
     */
    CompletionStage<Switch> manualSwitch();

    /** Scores an early warning; in AUTO, provisions a standby when the score reaches the threshold. */
    double earlyWarning(RiskFactors factors);

    /** The primary will be lost shortly: promote or recover (AUTO and MANUAL; OFF only reports). */
    CompletionStage<Switch> imminentLoss();

    /** The primary failed its health check: treated like imminent loss. */
    CompletionStage<Switch> healthFailure();

    /** Recent switches, oldest first. */
    List<Switch> history();

    @Override
    default Class<? extends Component> kind() {
        return FailoverGroup.class;
    }

    /**
     * The immutable settings of a failover group. Defaults: risk threshold 0.30, risk weights 0.4 (failure history),
     * 0.3 (age), 0.3 (volatility), no risk model of your own, a 120 s termination grace period, 100 switches kept,
     * {@link Clock#system()} and {@link Scheduler#system()}.
     *
     * @param name the group's name
     * @param primary the instance traffic goes to first
     * @param provisioner how instances are created, checked and released
     * @param riskThreshold the risk at which AUTO provisions a standby, in [0, 1]
     * @param historyWeight weight of {@link RiskFactors#failureHistory()}, the three weights non-negative and adding up to 1
     * @param ageWeight weight of {@link RiskFactors#age()}
     * @param volatilityWeight weight of {@link RiskFactors#volatility()}
     * @param riskModel replaces the weighted score when given, returning a risk in [0, 1]
     * @param terminationGracePeriod how long emergency recovery may take, positive
     * @param historySize switches kept, in [1, 10,000]
     * @param clock the time source
     * @param scheduler what the grace period's deadline runs on
     * @param <T> the instance type
     */
    record Config<T>(String name, T primary, Provisioner<T> provisioner, double riskThreshold, double historyWeight,
                     double ageWeight, double volatilityWeight, @Nullable ToDoubleFunction<RiskFactors> riskModel,
                     Duration terminationGracePeriod, int historySize, Clock clock, Scheduler scheduler) {

        /** Validates every field. */
        public Config {
            String who = "failover group '" + Checks.name("failover group", name) + "'";
            Objects.requireNonNull(primary, "primary");
            Objects.requireNonNull(provisioner, "provisioner");
            Checks.between(who, "riskThreshold", riskThreshold, 0.0, 1.0);
            double sum = historyWeight + ageWeight + volatilityWeight;
            if (Math.abs(sum - 1.0) > 1e-9 || historyWeight < 0 || ageWeight < 0 || volatilityWeight < 0) {
                throw new ConfigException(who, "riskWeights", historyWeight + ", " + ageWeight + ", " + volatilityWeight,
                        "non-negative and adding up to 1");
            }
            Checks.positive(who, "terminationGracePeriod", terminationGracePeriod);
            Checks.between(who, "historySize", historySize, 1, 10_000);
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(scheduler, "scheduler");
        }

        /** A builder starting from this config's values, none of them given yet, so each may be overridden once. */
        public Builder<T> toBuilder() {
            Builder<T> builder = new Builder<>(this);
            builder.riskThreshold = riskThreshold;
            builder.historyWeight = historyWeight;
            builder.ageWeight = ageWeight;
            builder.volatilityWeight = volatilityWeight;
            builder.riskModel = riskModel;
            builder.terminationGracePeriod = terminationGracePeriod;
            builder.historySize = historySize;
            return builder;
        }

        /**
         * Builds a {@link Config} or a {@link FailoverGroup}. Each setting may be given once; a second call fails
         * naming it. Not thread-safe.
         */
        public static final class Builder<T> extends TimedBuilder<Builder<T>> {
            private final String name;
            private final T primary;
            private final Provisioner<T> provisioner;
            private double riskThreshold = 0.30;
            private double historyWeight = 0.4;
            private double ageWeight = 0.3;
            private double volatilityWeight = 0.3;
            private @Nullable ToDoubleFunction<RiskFactors> riskModel;
            private Duration terminationGracePeriod = Duration.ofSeconds(120);
            private int historySize = 100;

            private Builder(String name, T primary, Provisioner<T> provisioner) {
                this.name = name;
                this.primary = Objects.requireNonNull(primary, "primary");
                this.provisioner = Objects.requireNonNull(provisioner, "provisioner");
            }

            private Builder(Config<T> config) {
                this(config.name(), config.primary(), config.provisioner());
                startFrom(config.clock(), config.scheduler());
            }

            @Override
            protected String component() {
                return "failover group '" + name + "'";
            }

            /** The risk at which AUTO provisions a standby (default 0.30). */
            public Builder<T> riskThreshold(double threshold) {
                given("riskThreshold");
                this.riskThreshold = threshold;
                return this;
            }

            /** The weights of the risk factors (default 0.4, 0.3, 0.3); they must add up to 1. */
            public Builder<T> riskWeights(double history, double age, double volatility) {
                given("riskWeights");
                this.historyWeight = history;
                this.ageWeight = age;
                this.volatilityWeight = volatility;
                return this;
            }

            /** Replaces the weighted score with a model of your own, returning a risk in [0, 1]. */
            public Builder<T> riskModel(ToDoubleFunction<RiskFactors> model) {
                given("riskModel");
                this.riskModel = Objects.requireNonNull(model, "model");
                return this;
            }

            /** How long emergency recovery may take (default 120 s). */
            public Builder<T> terminationGracePeriod(Duration period) {
                given("terminationGracePeriod");
                this.terminationGracePeriod = period;
                return this;
            }

            /** Switches kept in the history (default 100). */
            public Builder<T> historySize(int size) {
                given("historySize");
                this.historySize = size;
                return this;
            }

            /** The settings. @throws ConfigException for an invalid setting */
            public Config<T> buildConfig() {
                return new Config<>(name, primary, provisioner, riskThreshold, historyWeight, ageWeight,
                        volatilityWeight, riskModel, terminationGracePeriod, historySize, configuredClock(),
                        configuredScheduler());
            }

            /** The group. @throws ConfigException for an invalid setting */
            public FailoverGroup<T> build() {
                return FailoverGroup.of(buildConfig());
            }
        }
    }

    /** Who decides about standbys and switches. AUTO and MANUAL exclude each other. */
    public enum ControlMode {
        /** Nothing automatic: signals are scored and reported only. */
        OFF,
        /** Standbys on high risk, promotion or emergency recovery on imminent loss or health failure. */
        AUTO,
        /** A hot standby is kept at all times; the operator switches; imminent loss still promotes the standby. */
        MANUAL
    }

    /**
     * One switch of primary.
     *
     * @param kind how it happened
     * @param duration from the signal to traffic on the new primary
     * @param wallMillis when it completed
     * @param reason the signal that caused it
     */
    public record Switch(Kind kind, Duration duration, long wallMillis, String reason) {

        /** The two automatic paths (promotion, emergency recovery), and the operator's switch. */
        public enum Kind {
            /** A ready standby was promoted: the fast path. */
            PROMOTED,
            /** No standby was ready: a new instance was created, restored and switched to. */
            EMERGENCY_RECOVERY,
            /** The operator switched to the standby (manual mode). */
            MANUAL_SWITCH
        }
    }

    /**
     * What an early warning knows about the risk of losing the primary, each factor in [0, 1]. The default
     * score is {@code 0.4 * failureHistory + 0.3 * age + 0.3 * volatility}; the weights are configurable.
     *
     * @param failureHistory how often instances like this one were lost recently
     * @param age how old the instance is, relative to when losses become likely
     * @param volatility how unstable its conditions are (for a spot instance: its price volatility)
     */
    public record RiskFactors(double failureHistory, double age, double volatility) {
        /** Validates the ranges. */
        public RiskFactors {
            check("failureHistory", failureHistory);
            check("age", age);
            check("volatility", volatility);
        }

        private static void check(String field, double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new ConfigException("risk factors", field, value, "in [0.0, 1.0]");
            }
        }

        /** The weighted score. */
        public double score(double historyWeight, double ageWeight, double volatilityWeight) {
            return historyWeight * failureHistory + ageWeight * age + volatilityWeight * volatility;
        }
    }

    /** What a failover group reports, with how long each step took. */
    sealed interface Event {

        /** The group's name. */
        String name();

        /** An early warning was scored; {@code provisioning} when it led to a hot standby. */
        record RiskAssessed(String name, double risk, boolean provisioning) implements Event {
        }

        /** A standby became ready {@code readyNanos} after its creation started. */
        record StandbyReady(String name, long readyNanos) implements Event {
        }

        /** Traffic moved to a new primary. */
        record Switched(String name, Switch record) implements Event {
        }

        /** A failover could not complete; the previous primary is still current. */
        record Failed(String name, String reason) implements Event {
        }

        /** The control mode changed. */
        record ModeChanged(String name, ControlMode from, ControlMode to) implements Event {
        }
    }
}
