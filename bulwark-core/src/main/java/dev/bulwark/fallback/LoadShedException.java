package dev.bulwark.fallback;

import dev.bulwark.RejectedException;
import dev.bulwark.fallback.LoadShedder.Priority;

/** Thrown when a load shedder refuses a call: {@code load shedder 'api' shed a LOW call: 90 of 100 in flight}. */
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
