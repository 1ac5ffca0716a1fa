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
 * @param maxWaitingCalls the most calls allowed to wait at once, first come first served, in [0, {@link Integer#MAX_VALUE}]
 *     (default {@link #UNBOUNDED_WAITING}: as many as come); a call finding the queue full is refused at once. It
 *     bounds synchronous and asynchronous waiters alike (they share one queue); it matters only when
 *     {@code maxWait} is positive
 * @param clock the time source
 * @param scheduler what times out waiting asynchronous calls
 */
public record BulkheadConfig(String name, int maxConcurrentCalls, Duration maxWait, int maxWaitingCalls, Clock clock,
        Scheduler scheduler) {

    /** The default {@code maxWaitingCalls}: no bound on the queue's length, only on each call's wait. */
    public static final int UNBOUNDED_WAITING = Integer.MAX_VALUE;

    /** Validates every field. @throws dev.bulwark.ConfigException naming the field, value and range */
    public BulkheadConfig {
        String who = "bulkhead '" + Checks.name("bulkhead", name) + "'";
        Checks.between(who, "maxConcurrentCalls", maxConcurrentCalls, 1, 1_000_000);
        Checks.notNegative(who, "maxWait", maxWait);
        Checks.between(who, "maxWaitingCalls", maxWaitingCalls, 0, Integer.MAX_VALUE);
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
        builder.maxWaitingCalls = maxWaitingCalls;
        return builder;
    }

    /** Builds a {@link BulkheadConfig} or a {@link Bulkhead}. Each setting may be given once. Not thread-safe. */
    public static final class Builder extends TimedBuilder<Builder> {
        private final String name;
        private @Nullable Integer maxConcurrentCalls;
        private Duration maxWait = Duration.ZERO;
        private int maxWaitingCalls = UNBOUNDED_WAITING;

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

        /**
         * The most calls allowed to wait for a permit at once (default {@link #UNBOUNDED_WAITING}); the next one is
         * refused at once. Zero means nobody waits.
         */
        public Builder maxWaitingCalls(int maxWaitingCalls) {
            given("maxWaitingCalls");
            this.maxWaitingCalls = maxWaitingCalls;
            return this;
        }

        /** The config. @throws dev.bulwark.ConfigException for an invalid or missing setting */
        public BulkheadConfig buildConfig() {
            return new BulkheadConfig(name, Checks.required(component(), "maxConcurrentCalls", maxConcurrentCalls), maxWait,
                    maxWaitingCalls, configuredClock(), configuredScheduler());
        }

        /** The bulkhead. @throws dev.bulwark.ConfigException for an invalid or missing setting */
        public Bulkhead build() {
            return Bulkhead.of(buildConfig());
        }
    }
}
