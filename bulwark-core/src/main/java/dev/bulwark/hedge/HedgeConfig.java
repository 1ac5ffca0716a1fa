package dev.bulwark.hedge;

import dev.bulwark.TimedBuilder;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.SharedExecutor;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * The immutable settings of a {@link Hedge}.
 *
 * @param name the hedge's name, non-blank
 * @param delay the fixed wait before a backup attempt, {@code >= 0} (no default: it is required)
 * @param delayPercentile when present, the percentile in (0, 0.999] of recent successful latencies waited instead
 *        of the fixed delay once {@code minSamples} are known (default empty: always the fixed delay)
 * @param minSamples latencies needed before the percentile is used, in [1, 1000] (default 20)
 * @param maxHedges backup attempts per call, in [1, 16] (default 1)
 * @param executor where synchronous attempts run; default Bulwark's shared cached pool of daemon threads
 * @param clock the time source
 * @param scheduler what starts the backups
 */
public record HedgeConfig(String name, Duration delay, OptionalDouble delayPercentile, int minSamples, int maxHedges,
                          ExecutorService executor, Clock clock, Scheduler scheduler) {

    /** Validates every field. @throws dev.bulwark.ConfigException naming the field, value and range */
    public HedgeConfig {
        String who = "hedge '" + Checks.name("hedge", name) + "'";
        Checks.notNegative(who, "delay", delay);
        Checks.between(who, "maxHedges", maxHedges, 1, 16);
        Objects.requireNonNull(delayPercentile, "delayPercentile");
        if (delayPercentile.isPresent()) {
            Checks.aboveAndAtMost(who, "delayPercentile", delayPercentile.getAsDouble(), 0.0, 0.999);
        }
        Checks.between(who, "minSamples", minSamples, 1, DefaultHedge.LATENCY_SAMPLES);
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
    }

    /** A builder with the defaults; the delay must be given. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder starting from this config's values, none of them given yet, so each may be overridden once. */
    public Builder toBuilder() {
        Builder builder = new Builder(this);
        builder.delay = delay;
        builder.delayPercentile = delayPercentile;
        builder.minSamples = minSamples;
        builder.maxHedges = maxHedges;
        builder.executor = executor;
        return builder;
    }

    /** Builds a {@link HedgeConfig} or a {@link Hedge}. Each setting may be given once. Not thread-safe. */
    public static final class Builder extends TimedBuilder<Builder> {
        private final String name;
        private @Nullable Duration delay;
        private OptionalDouble delayPercentile = OptionalDouble.empty();
        private int minSamples = 20;
        private int maxHedges = 1;
        private ExecutorService executor = SharedExecutor.get();

        private Builder(String name) {
            this.name = name;
        }

        private Builder(HedgeConfig config) {
            this(config.name());
            startFrom(config.clock(), config.scheduler());
        }

        @Override
        protected String component() {
            return "hedge '" + name + "'";
        }

        /** The fixed wait before a backup attempt (required). */
        public Builder delay(Duration delay) {
            given("delay");
            this.delay = delay;
            return this;
        }

        /**
         * Waits this percentile (in (0, 0.999], e.g. 0.95) of recent successful latencies instead of the fixed
         * delay, once {@link #minSamples(int)} latencies are known; the fixed delay is used until then.
         */
        public Builder delayPercentile(double percentile) {
            given("delayPercentile");
            this.delayPercentile = OptionalDouble.of(percentile);
            return this;
        }

        /** Shorthand for {@code delayPercentile(percentile).minSamples(minSamples)}. */
        public Builder delayPercentile(double percentile, int minSamples) {
            return delayPercentile(percentile).minSamples(minSamples);
        }

        /** Latencies needed before the percentile is used (default 20). */
        public Builder minSamples(int minSamples) {
            given("minSamples");
            this.minSamples = minSamples;
            return this;
        }

        /** Backup attempts per call (default 1). */
        public Builder maxHedges(int maxHedges) {
            given("maxHedges");
            this.maxHedges = maxHedges;
            return this;
        }

        /**
         * Where synchronous attempts run (default: Bulwark's shared cached pool of daemon threads, which never
         * keeps the JVM alive). Give one to bound or isolate the threads.
         */
        public Builder executor(ExecutorService executor) {
            given("executor");
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The config. @throws dev.bulwark.ConfigException for an invalid or missing setting */
        public HedgeConfig buildConfig() {
            return new HedgeConfig(name, Checks.required(component(), "delay", delay), delayPercentile, minSamples,
                    maxHedges, executor, configuredClock(), configuredScheduler());
        }

        /** The hedge. @throws dev.bulwark.ConfigException for an invalid or missing setting */
        public Hedge build() {
            return Hedge.of(buildConfig());
        }
    }
}
