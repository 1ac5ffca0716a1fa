package dev.bulwark.timeout;

import dev.bulwark.BulwarkException;
import dev.bulwark.internal.Outcomes;
import java.time.Duration;

/**
 * Thrown when a call outlives its timeout: {@code timeout 'search' exceeded 2.000 s}. The abandoned work
 * has been cancelled (interrupted, or its stage cancelled) by the time this is thrown. By default it is thrown
 * at once, before the interrupted work has necessarily finished; a timeout built with
 * {@link TimeoutConfig.Builder#waitForInterruptedWork(Duration)} throws it after that work has ended, or after that
 * bounded wait.
 */
public final class TimeoutExceededException extends BulwarkException {
    private static final long serialVersionUID = 1L;

    static {
        Outcomes.countAsTimeout(TimeoutExceededException.class);
    }

    private final Duration timeout;

    TimeoutExceededException(String name, Duration timeout) {
        this(name, timeout, null);
    }

    /** With the failure an in-place call ended with after its deadline, if any, as the cause. */
    TimeoutExceededException(String name, Duration timeout, @org.jspecify.annotations.Nullable Throwable lateFailure) {
        super(name, String.format(java.util.Locale.ROOT, "timeout '%s' exceeded %.3f s", name, timeout.toNanos() / 1e9),
                lateFailure, false);
        this.timeout = timeout;
    }

    /** The time the call was allowed. */
    public Duration timeout() {
        return timeout;
    }
}
