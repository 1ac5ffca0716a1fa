package dev.bulwark.ratelimit;

import dev.bulwark.RejectedException;
import java.util.Locale;

/**
 * Thrown when a rate limiter refuses a call: {@code rate limiter 'api' allows 10.0 calls/s: next permit in 0.100 s}.
 * No stack trace by default.
 */
public final class RateLimitedException extends RejectedException {
    private static final long serialVersionUID = 1L;

    private final double permitsPerSecond;
    private final long waitNanos;

    RateLimitedException(String name, double permitsPerSecond, long waitNanos) {
        super(name, null);
        this.permitsPerSecond = permitsPerSecond;
        this.waitNanos = waitNanos;
    }

    /** How long until the call would have been allowed, in nanoseconds. */
    public long waitNanos() {
        return waitNanos;
    }

    @Override
    public String getMessage() {
        return String.format(Locale.ROOT, "rate limiter '%s' allows %.1f calls/s: next permit in %.3f s",
                component(), permitsPerSecond, waitNanos / 1e9);
    }
}
