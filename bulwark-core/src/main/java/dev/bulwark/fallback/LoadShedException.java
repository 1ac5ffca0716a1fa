package dev.bulwark.fallback;

import dev.bulwark.RejectedException;
import dev.bulwark.fallback.LoadShedder.Priority;

/**
 * Thrown when a {@link LoadShedder} refuses a call, or a fallback's shed strategy ({@link FallbackStrategy#shed})
 * ends one: {@code load shedder 'api' shed a LOW call: 90 of 100 in flight}. It names the call's
 * {@link LoadShedder.Priority}. A rejection: not retried by default, ignored by a circuit breaker outside, and
 * reported as SHED by a fallback no strategy of which answered for it.
 */
public final class LoadShedException extends RejectedException {
    private static final long serialVersionUID = 1L;

    private final Priority priority;
    private final String why;

    LoadShedException(String name, Priority priority, String why) {
        super(name, null);
        this.priority = priority;
        this.why = why;
    }

    /** The priority of the refused call. */
    public Priority priority() {
        return priority;
    }

    @Override
    public String getMessage() {
        return "load shedder '" + component() + "' shed a " + priority + " call: " + why;
    }
}
