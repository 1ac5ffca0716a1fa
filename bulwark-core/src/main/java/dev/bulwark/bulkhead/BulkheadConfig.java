package dev.bulwark.bulkhead;

import dev.bulwark.TimedBuilder;
import dev.bulwark.internal.Checks;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The immutable settings of a {@link Bulkhead}.
 *
 * @param name the bulkhead's name, non-blank
 * @param maxConcurrentCalls the most calls allowed at once, in [1, 1000000] (no default: it is required)
 * @param maxWait how long a call may wait for a permit, {@code >= 0} (default zero: refuse at once)
 * @param clock the time source
 * @param scheduler what times out waiting asynchronous calls
 */
public record BulkheadConfig(String name, int maxConcurrentCalls, Duration maxWait, Clock clock, Scheduler scheduler) {

    /** Validates every field. @throws dev.bulwark.ConfigException naming the field, value and range */
    public BulkheadConfig {
        String who = "bulkhead '" + Checks.name("bulkhead", name) + "'";
        Checks.between(who, "maxConcurrentCalls", maxConcurrentCalls, 1, 1_000_000);
        Checks.notNegative(who, "maxWait", maxWait);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
    }

    /** A builder with the defaults; {@code maxConcurrentCalls} must be given. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder starting from this config's values, none of them given yet, so each may be overridden once. */
    public Builder toBuilder() {
        Builder builder = new Builder(this);
        builder.maxConcurrentCalls = maxConcurrentCalls;
        builder.maxWait = maxWait;
        return builder;
    }

    /** Builds a {@link BulkheadConfig} or a {@link Bulkhead}. Each setting may be given once. Not thread-safe. */
    public static final class Builder extends TimedBuilder<Builder> {
        private final String name;
        private @Nullable Integer maxConcurrentCalls;
        private Duration maxWait = Duration.ZERO;

        private Builder(String name) {
            this.name = name;
        }

        private Builder(BulkheadConfig config) {
            this(config.name());
            startFrom(config.clock(), config.scheduler());
        }

        @Override
        protected String component() {
            return "bulkhead '" + name + "'";
        }

        /** The most calls allowed at once (required). */
        public Builder maxConcurrentCalls(int maxConcurrentCalls) {
            given("maxConcurrentCalls");
            this.maxConcurrentCalls = maxConcurrentCalls;
            return this;
        }

        /** How long a call may wait for a permit (default zero: refuse at once). */
        public Builder maxWait(Duration maxWait) {
            given("maxWait");
            this.maxWait = maxWait;
            return this;
        }

        /** The config. @throws dev.bulwark.ConfigException for an invalid or missing setting */
        public BulkheadConfig buildConfig() {
            return new BulkheadConfig(name, Checks.required(component(), "maxConcurrentCalls", maxConcurrentCalls), maxWait,
                    configuredClock(), configuredScheduler());
        }

        /** The bulkhead. @throws dev.bulwark.ConfigException for an invalid or missing setting */
        public Bulkhead build() {
            return Bulkhead.of(buildConfig());
        }
    }
}
