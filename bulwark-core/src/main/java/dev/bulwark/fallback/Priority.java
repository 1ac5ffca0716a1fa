package dev.bulwark.fallback;

/** How much a call matters when load must be shed: lower priorities are shed first. */
public enum Priority {
    /** Shed first: background and prefetch work. */
    LOW,
    /** Ordinary requests. */
    NORMAL,
    /** Requests users wait for. */
    HIGH,
    /** Never shed while any capacity is left: health checks, payments in flight. */
    CRITICAL;

    /** The priority named in a context's {@code priority} tag, or NORMAL. */
    static Priority of(dev.bulwark.ExecutionContext context) {
        return context.tag("priority").map(value -> {
            try {
                return Priority.valueOf(value.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                return NORMAL;
            }
        }).orElse(NORMAL);
    }
}
