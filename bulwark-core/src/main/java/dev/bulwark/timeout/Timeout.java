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
         * The timeout.
         *
         * @throws ConfigException if the duration is not positive
         */
        public Timeout build() {
            String who = "timeout '" + Checks.name("timeout", name) + "'";
            Checks.positive(who, "timeout", timeout);
            return new DefaultTimeout(name, timeout, executor, configuredClock(), configuredScheduler());
        }
    }
}
