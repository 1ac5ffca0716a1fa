package dev.bulwark.timeout;

import dev.bulwark.TimedBuilder;
import dev.bulwark.ConfigException;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.SharedExecutor;
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
 *        {@code >= 0} (default zero: throw at once); must be zero when {@code inPlace}
 * @param inPlace whether synchronous calls run on the caller's own thread, interrupted at the deadline, instead of
 *        on {@code executor} (default {@code false}: on the executor, the caller gets the timeout at the deadline)
 * @param clock the time source
 * @param scheduler what arms the timer
 */
public record TimeoutConfig(String name, Duration timeout, ExecutorService executor, Duration waitForInterruptedWork,
                            boolean inPlace, Clock clock, Scheduler scheduler) {

    /** Validates every field. @throws dev.bulwark.ConfigException naming the field, value and range */
    public TimeoutConfig {
        String who = "timeout '" + Checks.name("timeout", name) + "'";
        Checks.positive(who, "timeout", timeout);
        Checks.notNegative(who, "waitForInterruptedWork", waitForInterruptedWork);
        if (inPlace && !waitForInterruptedWork.isZero()) {
            throw new ConfigException(who, "waitForInterruptedWork", waitForInterruptedWork,
                    "zero when inPlace is true (an in-place call has always ended when the timeout is thrown)");
        }
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
        Builder builder = new Builder(this);
        builder.timeout = timeout;
        builder.executor = executor;
        builder.waitForInterruptedWork = waitForInterruptedWork;
        builder.inPlace = inPlace;
        return builder;
    }

    /** Builds a {@link TimeoutConfig} or a {@link Timeout}. Each setting may be given once. Not thread-safe. */
    public static final class Builder extends TimedBuilder<Builder> {
        private final String name;
        private @Nullable Duration timeout;
        private ExecutorService executor = SharedExecutor.get();
        private Duration waitForInterruptedWork = Duration.ZERO;
        private boolean inPlace;
        private boolean executorGiven;

        private Builder(String name) {
            this.name = name;
        }

        private Builder(TimeoutConfig config) {
            this(config.name());
            startFrom(config.clock(), config.scheduler());
        }

        @Override
        protected String component() {
            return "timeout '" + name + "'";
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
            this.executorGiven = true;
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

        /**
         * With {@code true}, a synchronous call runs on the caller's own thread instead of the executor (default
         * {@code false}). At the deadline the scheduler interrupts that thread; the call then runs on until it
         * returns or throws (at once if it honours the interrupt, at its end if it ignores it), and the caller gets
         * {@link TimeoutExceededException}: the call's own result is discarded (a failure it threw becomes the
         * exception's cause) and the interrupt flag is cleared. A call that ends before the deadline returns normally and
         * is never interrupted afterwards. Thread-bound state (transactions, MDC, security context) stays
         * available to the call, no executor is used, and the caller never runs on while the work does.
         * Asynchronous calls are unaffected. Cannot be combined with {@link #executor} or a non-zero
         * {@link #waitForInterruptedWork}.
         */
        public Builder inPlace(boolean inPlace) {
            given("inPlace");
            this.inPlace = inPlace;
            return this;
        }

        /** The config. @throws dev.bulwark.ConfigException for an invalid or missing setting */
        public TimeoutConfig buildConfig() {
            if (inPlace && executorGiven) {
                throw new ConfigException(component(), "executor", "given",
                        "not given when inPlace is true (the call runs on the caller's thread)");
            }
            return new TimeoutConfig(name, Checks.required(component(), "timeout", timeout), executor,
                    waitForInterruptedWork, inPlace, configuredClock(), configuredScheduler());
        }

        /** The timeout. @throws dev.bulwark.ConfigException for an invalid or missing setting */
        public Timeout build() {
            return Timeout.of(buildConfig());
        }
    }
}
