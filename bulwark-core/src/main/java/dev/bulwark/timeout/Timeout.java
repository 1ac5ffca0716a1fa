package dev.bulwark.timeout;

import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import java.time.Duration;

/**
 * Bounds how long a call may take. When the time is up the caller gets a
 * {@link TimeoutExceededException} and the work is cancelled: an asynchronous call's stage is cancelled,
 * a synchronous call (run on the given executor) is interrupted. Resources held by abandoned work are
 * released rather than left running (Resilience4j #2296).
 *
 * <p>By default the exception is raised as soon as the time is up, right after the work was interrupted: the
 * interrupted work may still be running (finishing its clean-up, or ignoring the interrupt) when the caller
 * sees it. With {@link TimeoutConfig.Builder#waitForInterruptedWork(Duration)} a synchronous call instead raises it once the
 * interrupted work has ended, or once that bounded wait is over, whichever comes first. An asynchronous call's
 * stage is cancelled, which completes it at once: there is nothing further to wait for.
 *
 * <p>The timeout also sets the execution context's deadline, so policies inside it see the time left; an
 * earlier deadline set outside it wins. A synchronous call runs on the configured executor (default: Bulwark's
 * shared cached pool of daemon threads) while the calling thread waits for whichever comes first. With
 * {@link TimeoutConfig.Builder#inPlace(boolean) inPlace(true)} it runs on the caller's own thread instead, which
 * the deadline interrupts; the caller gets the exception once the call has ended. This interface's implementation is thread-safe.
 */
public interface Timeout extends Policy, EventSource<Timeout.Event> {

    /** A builder for a timeout called {@code name} allowing {@code timeout}. */
    static TimeoutConfig.Builder builder(String name, Duration timeout) {
        return TimeoutConfig.builder(name).timeout(timeout);
    }

    /** A builder for a timeout called {@code name}; its {@code timeout} must be given. */
    static TimeoutConfig.Builder builder(String name) {
        return TimeoutConfig.builder(name);
    }

    /** A timeout with the given config. */
    static Timeout of(TimeoutConfig config) {
        return new DefaultTimeout(config);
    }

    /** This timeout's settings. */
    TimeoutConfig config();

    /** The time allowed. */
    Duration timeout();

    /** Calls that ran out of time so far. */
    long timedOutCalls();

    @Override
    default Class<? extends Component> kind() {
        return Timeout.class;
    }

    /** What a timeout reports. */
    sealed interface Event {

        /** The timeout's name. */
        String name();

        /** A call ran out of time after {@code allowedNanos} and was cancelled. */
        record TimedOut(String name, long allowedNanos) implements Event {
        }
    }
}
