package dev.bulwark.bulkhead;

import dev.bulwark.internal.Checks;
import dev.bulwark.internal.GivenSettings;
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
        Builder builder = new Builder(name);
        builder.maxConcurrentCalls = maxConcurrentCalls;
        builder.maxWait = maxWait;
        builder.clock = clock;
        builder.scheduler = scheduler;
        return builder;
    }

    /** Builds a {@link BulkheadConfig} or a {@link Bulkhead}. Each setting may be given once. Not thread-safe. */
    public static final class Builder {
        private final GivenSettings given = new GivenSettings();
        private Clock clock = Clock.system();
        private Scheduler scheduler = Scheduler.system();
        private final String name;
        private @Nullable Integer maxConcurrentCalls;
        private Duration maxWait = Duration.ZERO;

        private Builder(String name) {
            this.name = name;
        }

        private String component() {
            return "bulkhead '" + name + "'";
        }

        /** The time source (default {@link Clock#system()}). */
        public Builder clock(Clock clock) {
            given("clock");
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** What waits and timers run on (default {@link Scheduler#system()}). */
        public Builder scheduler(Scheduler scheduler) {
            given("scheduler");
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Uses a {@link dev.bulwark.time.ManualClock} (or any clock that is also a scheduler) for both. */
        public <T extends Clock & Scheduler> Builder clockAndScheduler(T clockAndScheduler) {
            return clock(clockAndScheduler).scheduler(clockAndScheduler);
        }

        private void given(String setting) {
            given.mark(component(), setting);
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
            return new BulkheadConfig(name, Checks.required(component(), "maxConcurrentCalls", maxConcurrentCalls), maxWait, clock, scheduler);
        }

        /** The bulkhead. @throws dev.bulwark.ConfigException for an invalid or missing setting */
        public Bulkhead build() {
            return Bulkhead.of(buildConfig());
        }
    }
}
