package dev.bulwark.fallback;

import dev.bulwark.RejectedException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by a {@link Fallback} whose queue strategy put the call aside: there is no answer now, but the request is
 * kept in a deferred queue under {@link #ticket()}, to be processed later. The cause is the failure that led to
 * queueing, if any. A rejection: a retry outside the fallback does not queue the call again, and a circuit breaker
 * outside does not count it.
 */
public final class QueuedException extends RejectedException {
    private static final long serialVersionUID = 1L;

    private final long ticket;

    QueuedException(String policy, long ticket, @Nullable Throwable cause) {
        super(policy, "fallback '" + policy + "' queued the call as ticket " + ticket, cause);
        this.ticket = ticket;
    }

    /** The deferred queue's ticket for the request. */
    public long ticket() {
        return ticket;
    }
}
