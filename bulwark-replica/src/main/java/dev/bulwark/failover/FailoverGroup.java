package dev.bulwark.failover;

import dev.bulwark.ConfigException;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.TimedBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

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
public interface FailoverGroup<T> extends Component, EventSource<FailoverEvent> {

    /** A builder for a group called {@code name} starting on {@code primary}. */
    static <T> Builder<T> builder(String name, T primary, Provisioner<T> provisioner) {
        return new Builder<>(name, primary, provisioner);
    }

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
    CompletionStage<FailoverRecord> manualSwitch();

    /** Scores an early warning; in AUTO, provisions a standby when the score reaches the threshold. */
    double earlyWarning(RiskFactors factors);

    /** The primary will be lost shortly: promote or recover (AUTO and MANUAL; OFF only reports). */
    CompletionStage<FailoverRecord> imminentLoss();

    /** The primary failed its health check: treated like imminent loss. */
    CompletionStage<FailoverRecord> healthFailure();

    /** Recent switches, oldest first. */
    List<FailoverRecord> history();

    @Override
    default Class<? extends Component> kind() {
        return FailoverGroup.class;
    }

    /** Builds a {@link FailoverGroup}. Each setting may be given once; a second call fails naming it. Not thread-safe. */
    final class Builder<T> extends TimedBuilder<Builder<T>> {
        final String name;
        final T primary;
        final Provisioner<T> provisioner;
        double riskThreshold = 0.30;
        double historyWeight = 0.4;
        double ageWeight = 0.3;
        double volatilityWeight = 0.3;
        java.util.function.@org.jspecify.annotations.Nullable ToDoubleFunction<RiskFactors> riskModel;
        Duration terminationGracePeriod = Duration.ofSeconds(120);
        int historySize = 100;

        private Builder(String name, T primary, Provisioner<T> provisioner) {
            this.name = name;
            this.primary = Objects.requireNonNull(primary, "primary");
            this.provisioner = Objects.requireNonNull(provisioner, "provisioner");
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
        public Builder<T> riskModel(java.util.function.ToDoubleFunction<RiskFactors> model) {
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

        /** The group. @throws ConfigException for an invalid setting */
        public FailoverGroup<T> build() {
            String who = "failover group '" + Checks.name("failover group", name) + "'";
            Checks.between(who, "riskThreshold", riskThreshold, 0.0, 1.0);
            double sum = historyWeight + ageWeight + volatilityWeight;
            if (Math.abs(sum - 1.0) > 1e-9 || historyWeight < 0 || ageWeight < 0 || volatilityWeight < 0) {
                throw new ConfigException(who, "riskWeights", historyWeight + ", " + ageWeight + ", " + volatilityWeight,
                        "non-negative and adding up to 1");
            }
            Checks.positive(who, "terminationGracePeriod", terminationGracePeriod);
            Checks.between(who, "historySize", historySize, 1, 10_000);
            return new DefaultFailoverGroup<>(this);
        }
    }
}
