package dev.bulwark.bulkhead;

import dev.bulwark.TimedBuilder;
import dev.bulwark.internal.Checks;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;

/**
 * The immutable settings of an {@link AdaptiveLimiter}. Built with {@link AdaptiveLimiter#builder(String)}; every
 * field is validated here, so an invalid value fails at build time with the field, the value and the allowed range.
 *
 * @param name the limiter's name, non-blank
 * @param initialLimit the starting limit, in [minLimit, maxLimit] (default 20)
 * @param minLimit the lowest the limit may go, in [1, 1000000] (default 1)
 * @param maxLimit the highest the limit may go, in [minLimit, 1000000] (default 200)
 * @param algorithm how the limit moves after each call (default {@code Algorithm.aimd(0.9, 5 s)}); every limiter built
 *        from this config starts from the algorithm's initial state (the built-in algorithms are copied per limiter)
 * @param maxWait how long a call may wait for room, {@code >= 0} (default zero: refuse at once)
 * @param clock the time source that measures each call's latency
 * @param scheduler what times out waiting asynchronous calls
 */
public record AdaptiveLimiterConfig(String name, int initialLimit, int minLimit, int maxLimit,
                                    AdaptiveLimiter.Algorithm algorithm, Duration maxWait, Clock clock,
                                    Scheduler scheduler) {

    /** The most any limit may be. */
    public static final int MAX_LIMIT = 1_000_000;

    /** Validates every field. @throws dev.bulwark.ConfigException naming the field, value and range */
    public AdaptiveLimiterConfig {
        String who = "adaptive limiter '" + Checks.name("adaptive limiter", name) + "'";
        Checks.between(who, "minLimit", minLimit, 1, MAX_LIMIT);
        Checks.between(who, "maxLimit", maxLimit, minLimit, MAX_LIMIT);
        Checks.between(who, "initialLimit", initialLimit, minLimit, maxLimit);
        Objects.requireNonNull(algorithm, "algorithm");
        Checks.notNegative(who, "maxWait", maxWait);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
    }

    /** A builder with the defaults, for a limiter called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder starting from this config's values, none of them given yet, so each may be overridden once. */
    public Builder toBuilder() {
        Builder builder = new Builder(this);
        builder.initialLimit = initialLimit;
        builder.minLimit = minLimit;
        builder.maxLimit = maxLimit;
        builder.algorithm = algorithm;
        builder.maxWait = maxWait;
        return builder;
    }

    /**
     * Builds an {@link AdaptiveLimiterConfig} or, with {@link #build()}, an {@link AdaptiveLimiter}. Each setting may
     * be given once; a second call fails naming it. Not thread-safe.
     */
    public static final class Builder extends TimedBuilder<Builder> {
        private String name;
        private int initialLimit = 20;
        private int minLimit = 1;
        private int maxLimit = 200;
        private AdaptiveLimiter.Algorithm algorithm = AdaptiveLimiter.Algorithm.aimd(0.9, Duration.ofSeconds(5));
        private Duration maxWait = Duration.ZERO;

        private Builder(String name) {
            this.name = name;
        }

        private Builder(AdaptiveLimiterConfig config) {
            this(config.name());
            startFrom(config.clock(), config.scheduler());
        }

        @Override
        protected String component() {
            return "adaptive limiter '" + name + "'";
        }

        /** Renames the limiter (for a derived config). */
        public Builder name(String name) {
            given("name");
            this.name = name;
            return this;
        }

        /** The starting limit (default 20). */
        public Builder initialLimit(int limit) {
            given("initialLimit");
            this.initialLimit = limit;
            return this;
        }

        /** The lowest the limit may go (default 1). */
        public Builder minLimit(int limit) {
            given("minLimit");
            this.minLimit = limit;
            return this;
        }

        /** The highest the limit may go (default 200). */
        public Builder maxLimit(int limit) {
            given("maxLimit");
            this.maxLimit = limit;
            return this;
        }

        /** How the limit moves (default AIMD: backoff 0.9, drop above 5 s). */
        public Builder algorithm(AdaptiveLimiter.Algorithm algorithm) {
            given("algorithm");
            this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
            return this;
        }

        /** How long a call may wait for room (default zero). */
        public Builder maxWait(Duration maxWait) {
            given("maxWait");
            this.maxWait = maxWait;
            return this;
        }

        /** The config. @throws dev.bulwark.ConfigException naming the field, value and range of an invalid setting */
        public AdaptiveLimiterConfig buildConfig() {
            return new AdaptiveLimiterConfig(name, initialLimit, minLimit, maxLimit, algorithm, maxWait, configuredClock(),
                    configuredScheduler());
        }

        /** The limiter. @throws dev.bulwark.ConfigException naming the field, value and range of an invalid setting */
        public AdaptiveLimiter build() {
            return AdaptiveLimiter.of(buildConfig());
        }
    }
}
