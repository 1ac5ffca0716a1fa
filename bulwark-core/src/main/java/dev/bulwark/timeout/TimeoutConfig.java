package dev.bulwark.timeout;

import dev.bulwark.internal.Checks;
import dev.bulwark.internal.SharedExecutor;
import dev.bulwark.internal.GivenSettings;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * The immutable settings of a {@link Timeout}.
 *
 * @param name the timeout's name, non-blank
 * @param timeout the time allowed, positive (no default: it is required)
 * @param executor where synchronous calls run; default Bulwark's shared cached pool of daemon threads
 * @param waitForInterruptedWork how long a timed-out synchronous call waits for its interrupted work to end,
 *        {@code >= 0} (default zero: throw at once)
 * @param clock the time source
 * @param scheduler what arms the timer
 */
public record TimeoutConfig(String name, Duration timeout, ExecutorService executor, Duration waitForInterruptedWork,
                            Clock clock, Scheduler scheduler) {

    /** Validates every field. @throws dev.bulwark.ConfigException naming the field, value and range */
    public TimeoutConfig {
        String who = "timeout '" + Checks.name("timeout", name) + "'";
        Checks.positive(who, "timeout", timeout);
        Checks.notNegative(who, "waitForInterruptedWork", waitForInterruptedWork);
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
    }

    /** A builder with the defaults; the timeout itself must be given. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder starting from this config's values, none of them given yet, so each may be overridden once. */
    public Builder toBuilder() {
        Builder builder = new Builder(name);
        builder.timeout = timeout;
        builder.executor = executor;
        builder.waitForInterruptedWork = waitForInterruptedWork;
        builder.clock = clock;
        builder.scheduler = scheduler;
        return builder;
    }

    /** Builds a {@link TimeoutConfig} or a {@link Timeout}. Each setting may be given once. Not thread-safe. */
    public static final class Builder {
        private final GivenSettings given = new GivenSettings();
        private Clock clock = Clock.system();
        private Scheduler scheduler = Scheduler.system();
        private final String name;
        private @Nullable Duration timeout;
        private ExecutorService executor = SharedExecutor.get();
        private Duration waitForInterruptedWork = Duration.ZERO;

        private Builder(String name) {
            this.name = name;
        }

        private String component() {
            return "timeout '" + name + "'";
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

        /** The time allowed (required). */
        public Builder timeout(Duration timeout) {
            given("timeout");
            this.timeout = timeout;
            return this;
        }

        /**
         * Where synchronous calls run (default: Bulwark's shared cached pool of daemon threads, which never keeps
         * the JVM alive). Give one to bound or isolate the threads.
         */
        public Builder executor(ExecutorService executor) {
            given("executor");
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Makes a timed-out synchronous call wait, at most {@code maxWait}, for its interrupted work to end before
         * throwing {@link TimeoutExceededException} (default zero: throw at once, the work may still be running).
         * So the caller never runs on while the abandoned work still holds its resources, yet never waits for ever
         * on work that ignores interrupts.
         */
        public Builder waitForInterruptedWork(Duration maxWait) {
            given("waitForInterruptedWork");
            this.waitForInterruptedWork = maxWait;
            return this;
        }

        /** The config. @throws dev.bulwark.ConfigException for an invalid or missing setting */
        public TimeoutConfig buildConfig() {
            return new TimeoutConfig(name, Checks.required(component(), "timeout", timeout), executor, waitForInterruptedWork, clock,
                    scheduler);
        }

        /** The timeout. @throws dev.bulwark.ConfigException for an invalid or missing setting */
        public Timeout build() {
            return Timeout.of(buildConfig());
        }
    }
}
