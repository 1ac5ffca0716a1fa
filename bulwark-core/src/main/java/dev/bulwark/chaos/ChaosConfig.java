package dev.bulwark.chaos;

import dev.bulwark.TimedBuilder;
import dev.bulwark.internal.Checks;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The immutable settings of a {@link Chaos} policy. Built with {@link Chaos#builder(String)}; every field is validated
 * here, so an invalid value fails at build time with the field, the value and the allowed range. By default nothing
 * is injected.
 *
 * @param name the policy's name, non-blank
 * @param latencyProbability the share of calls delayed, in [0, 1] (default 0)
 * @param latency the delay added, {@code >= 0} (default zero)
 * @param exceptionProbability the share of calls that throw instead of running, in [0, 1] (default 0)
 * @param exception supplies the exception thrown instead of a call; required when {@code exceptionProbability > 0}
 * @param resultProbability the share of calls answered with a substituted result instead of running, in [0, 1]
 *        (default 0)
 * @param result supplies the substituted result; required when {@code resultProbability > 0}
 * @param seed the random seed (default 42): the same seed injects the same faults in the same order
 * @param enabled whether the policy starts injecting (default true)
 * @param clock the time source
 * @param scheduler how latency is injected: {@code sleep} for synchronous calls, {@code schedule} for asynchronous ones
 */
public record ChaosConfig(String name, double latencyProbability, Duration latency, double exceptionProbability,
                          @Nullable Supplier<? extends Exception> exception, double resultProbability,
                          @Nullable Supplier<?> result, long seed, boolean enabled, Clock clock, Scheduler scheduler) {

    /** Validates every field. @throws dev.bulwark.ConfigException naming the field, value and range */
    public ChaosConfig {
        String who = "chaos '" + Checks.name("chaos", name) + "'";
        Checks.between(who, "latencyProbability", latencyProbability, 0.0, 1.0);
        Checks.notNegative(who, "latency", latency);
        Checks.between(who, "exceptionProbability", exceptionProbability, 0.0, 1.0);
        if (exceptionProbability > 0) {
            Checks.required(who, "exception", exception);
        }
        Checks.between(who, "resultProbability", resultProbability, 0.0, 1.0);
        if (resultProbability > 0) {
            Checks.required(who, "result", result);
        }
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
    }

    /** A builder that injects nothing until told what to inject, for a policy called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder starting from this config's values, none of them given yet, so each may be overridden once. */
    public Builder toBuilder() {
        Builder builder = new Builder(this);
        builder.latencyProbability = latencyProbability;
        builder.latency = latency;
        builder.exceptionProbability = exceptionProbability;
        builder.exception = exception;
        builder.resultProbability = resultProbability;
        builder.result = result;
        builder.seed = seed;
        builder.enabled = enabled;
        return builder;
    }

    /**
     * Builds a {@link ChaosConfig} or, with {@link #build()}, a {@link Chaos} policy. Each setting may be given once; a
     * second call fails naming it. Not thread-safe.
     */
    public static final class Builder extends TimedBuilder<Builder> {
        private String name;
        private double latencyProbability;
        private Duration latency = Duration.ZERO;
        private double exceptionProbability;
        private @Nullable Supplier<? extends Exception> exception;
        private double resultProbability;
        private @Nullable Supplier<?> result;
        private long seed = 42L;
        private boolean enabled = true;

        private Builder(String name) {
            this.name = name;
        }

        private Builder(ChaosConfig config) {
            this(config.name());
            startFrom(config.clock(), config.scheduler());
        }

        @Override
        protected String component() {
            return "chaos '" + name + "'";
        }

        /** Renames the policy (for a derived config). */
        public Builder name(String name) {
            given("name");
            this.name = name;
            return this;
        }

        /** Adds {@code latency} to a share {@code probability} of calls. */
        public Builder latency(double probability, Duration latency) {
            given("latency");
            this.latencyProbability = probability;
            this.latency = latency;
            return this;
        }

        /** Throws the supplied exception instead of the call for a share {@code probability} of calls. */
        public Builder exception(double probability, Supplier<? extends Exception> exception) {
            given("exception");
            this.exceptionProbability = probability;
            this.exception = Objects.requireNonNull(exception, "exception");
            return this;
        }

        /** Returns the supplied result instead of the call for a share {@code probability} of calls. */
        public Builder result(double probability, Supplier<?> result) {
            given("result");
            this.resultProbability = probability;
            this.result = Objects.requireNonNull(result, "result");
            return this;
        }

        /** The random seed (default 42): the same seed injects the same faults in the same order. */
        public Builder seed(long seed) {
            given("seed");
            this.seed = seed;
            return this;
        }

        /** Whether it starts enabled (default true). */
        public Builder enabled(boolean enabled) {
            given("enabled");
            this.enabled = enabled;
            return this;
        }

        /** The config. @throws dev.bulwark.ConfigException naming the field, value and range of an invalid setting */
        public ChaosConfig buildConfig() {
            return new ChaosConfig(name, latencyProbability, latency, exceptionProbability, exception, resultProbability,
                    result, seed, enabled, configuredClock(), configuredScheduler());
        }

        /** The policy. @throws dev.bulwark.ConfigException naming the field, value and range of an invalid setting */
        public Chaos build() {
            return Chaos.of(buildConfig());
        }
    }
}
