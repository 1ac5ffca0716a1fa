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

    /** The key under which an execution context carries the call's priority (NORMAL when absent). */
    public static final dev.bulwark.ExecutionContext.Key<Priority> KEY = dev.bulwark.ExecutionContext.Key.of("priority", Priority.class);

    /** The priority a context carries under {@link #KEY}, or NORMAL. */
    public static Priority of(dev.bulwark.ExecutionContext context) {
        return context.getOrDefault(KEY, NORMAL);
    }
}
