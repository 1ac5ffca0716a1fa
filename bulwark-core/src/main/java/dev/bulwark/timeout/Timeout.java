package dev.bulwark.timeout;

import dev.bulwark.ConfigException;
import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.TimedBuilder;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * Bounds how long a call may take. When the time is up the caller gets a
 * {@link TimeoutExceededException} and the work is cancelled: an asynchronous call's stage is cancelled,
 * a synchronous call (run on the given executor) is interrupted. Resources held by abandoned work are
 * released rather than left running (Resilience4j #2296).
 *
 * <p>By default the exception is raised as soon as the time is up, right after the work was interrupted: the
 * interrupted work may still be running (finishing its clean-up, or ignoring the interrupt) when the caller
 * sees it. With {@link Builder#waitForInterruptedWork(Duration)} a synchronous call instead raises it once the
 * interrupted work has ended, or once that bounded wait is over, whichever comes first. An asynchronous call's
 * stage is cancelled, which completes it at once: there is nothing further to wait for.
 *
 * <p>The timeout also sets the execution context's deadline, so policies inside it see the time left; an
 * earlier deadline set outside it wins. A synchronous timeout needs an executor to run the call on:
 * the calling thread waits for whichever comes first. This interface's implementation is thread-safe.
 */
public interface Timeout extends Policy, EventSource<TimeoutEvent> {

    /** A builder for a timeout called {@code name} allowing {@code timeout}. */
    static Builder builder(String name, Duration timeout) {
        return new Builder(name, timeout);
    }

    /** The time allowed. */
    Duration timeout();

    /** Calls that ran out of time so far. */
    long timedOutCalls();

    @Override
    default Class<? extends Component> kind() {
        return Timeout.class;
    }

    /** Builds a {@link Timeout}. Not thread-safe. */
    final class Builder extends TimedBuilder<Builder> {
        private final String name;
        private final Duration timeout;
        private @Nullable ExecutorService executor;
        private Duration waitForInterruptedWork = Duration.ZERO;

        private Builder(String name, Duration timeout) {
            this.name = name;
            this.timeout = timeout;
        }

        /** Where synchronous calls run (required for synchronous use). */
        public Builder executor(ExecutorService executor) {
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
            this.waitForInterruptedWork = Objects.requireNonNull(maxWait, "maxWait");
            return this;
        }

        /**
         * The timeout.
         *
         * @throws ConfigException if the duration is not positive or the wait for interrupted work is negative
         */
        public Timeout build() {
            String who = "timeout '" + Checks.name("timeout", name) + "'";
            Checks.positive(who, "timeout", timeout);
            Checks.notNegative(who, "waitForInterruptedWork", waitForInterruptedWork);
            return new DefaultTimeout(name, timeout, executor, waitForInterruptedWork, configuredClock(),
                    configuredScheduler());
        }
    }
}
