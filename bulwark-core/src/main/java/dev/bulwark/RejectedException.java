package dev.bulwark;

/**
 * A call refused before it ran (an open circuit, a full bulkhead, an exhausted rate limit, a shed load), or put
 * aside to run later (a queued call): either way no answer, and no verdict on the dependency now. Retries do not
 * retry rejections by default, and a circuit breaker outside ignores them.
 *
 * <p>Rejections happen at high rates exactly when a system is in trouble, so by default they carry no
 * stack trace, which makes them cheap. Set the system property {@code bulwark.rejections.stackTrace=true}
 * to record one.
 */
public abstract class RejectedException extends BulwarkException {
    private static final long serialVersionUID = 1L;

    static final boolean STACK_TRACES = Boolean.getBoolean("bulwark.rejections.stackTrace");

    /** A rejection by {@code component}; the message may be computed lazily by overriding {@link #getMessage()}. */
    protected RejectedException(String component, @org.jspecify.annotations.Nullable String message) {
        super(component, message, null, STACK_TRACES);
    }

    /** A rejection by {@code component} that follows {@code cause} (the failure that led to it), if any. */
    protected RejectedException(String component, @org.jspecify.annotations.Nullable String message,
            @org.jspecify.annotations.Nullable Throwable cause) {
        super(component, message, cause, STACK_TRACES);
    }
}
