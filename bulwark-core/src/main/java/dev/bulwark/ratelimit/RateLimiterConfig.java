package dev.bulwark.ratelimit;

import dev.bulwark.TimedBuilder;
import dev.bulwark.internal.Checks;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The immutable settings of a {@link RateLimiter}.
 *
 * @param name the limiter's name, non-blank
 * @param permitsPerSecond the sustained rate, in (0, 1e9] (no default: it is required)
 * @param burst tokens the bucket holds, in [1, 1e9] (default: one second's worth, at least 1)
 * @param maxWait how long a call may wait for a token, {@code >= 0} (default zero: refuse at once)
 * @param clock the time source; the limiter reads its {@link Clock#coarseNanoTime() coarse reading}, which with
 *        {@link Clock#system()} lags real time by up to about a millisecond: the limiter never admits more than
 *        its rate, may refuse a token that fell due within that last millisecond, and a caller that waits may
 *        wait up to a millisecond longer than the exact schedule
 * @param scheduler what wakes waiting asynchronous calls
 */
public record RateLimiterConfig(String name, double permitsPerSecond, int burst, Duration maxWait, Clock clock,
                                Scheduler scheduler) {

    /** Validates every field. @throws dev.bulwark.ConfigException naming the field, value and range */
    public RateLimiterConfig {
        String who = "rate limiter '" + Checks.name("rate limiter", name) + "'";
        Checks.aboveAndAtMost(who, "permitsPerSecond", permitsPerSecond, 0, 1e9);
        Checks.between(who, "burst", burst, 1, 1_000_000_000);
        Checks.notNegative(who, "maxWait", maxWait);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
    }

    /** A builder with the defaults; {@code permitsPerSecond} must be given. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder starting from this config's values, none of them given yet, so each may be overridden once. */
    public Builder toBuilder() {
        Builder builder = new Builder(this);
        builder.permitsPerSecond = permitsPerSecond;
        // a burst equal to its derived default stays derived, so a new rate moves it too
        builder.burst = burst == oneSecondsWorth(permitsPerSecond) ? null : burst;
        builder.maxWait = maxWait;
        return builder;
    }

    private static int oneSecondsWorth(double permitsPerSecond) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceil(permitsPerSecond)));
    }

    /** Builds a {@link RateLimiterConfig} or a {@link RateLimiter}. Each setting may be given once. Not thread-safe. */
    public static final class Builder extends TimedBuilder<Builder> {
        private final String name;
        private @Nullable Double permitsPerSecond;
        private @Nullable Integer burst;
        private Duration maxWait = Duration.ZERO;

        private Builder(String name) {
            this.name = name;
        }

        private Builder(RateLimiterConfig config) {
            this(config.name());
            startFrom(config.clock(), config.scheduler());
        }

        @Override
        protected String component() {
            return "rate limiter '" + name + "'";
        }

        /** The sustained rate (required). */
        public Builder permitsPerSecond(double permitsPerSecond) {
            given("permitsPerSecond");
            this.permitsPerSecond = permitsPerSecond;
            return this;
        }

        /** Tokens the bucket holds (default: one second's worth). */
        public Builder burst(int burst) {
            given("burst");
            this.burst = burst;
            return this;
        }

        /** How long a call may wait for a token (default zero). */
        public Builder maxWait(Duration maxWait) {
            given("maxWait");
            this.maxWait = maxWait;
            return this;
        }

        /** The config. @throws dev.bulwark.ConfigException for an invalid or missing setting */
        public RateLimiterConfig buildConfig() {
            double rate = Checks.required(component(), "permitsPerSecond", permitsPerSecond);
            return new RateLimiterConfig(name, rate, burst != null ? burst : oneSecondsWorth(rate), maxWait,
                    configuredClock(), configuredScheduler());
        }

        /** The limiter. @throws dev.bulwark.ConfigException for an invalid or missing setting */
        public RateLimiter build() {
            return RateLimiter.of(buildConfig());
        }
    }
}
