package dev.bulwark;

/**
 * Thrown by a Bulwark component when it rejects or abandons a call. The message names the component
 * and the reason; {@link #component()} gives the name alone. Exceptions of the protected call itself
 * are never wrapped in this type.
 */
public class BulwarkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String component;

    /** An exception from component {@code component}, with a stack trace. */
    public BulwarkException(String component, @org.jspecify.annotations.Nullable String message, @org.jspecify.annotations.Nullable Throwable cause) {
        super(message, cause);
        this.component = component;
    }

    /** For subclasses that choose whether to fill in a stack trace. */
    protected BulwarkException(String component, @org.jspecify.annotations.Nullable String message, @org.jspecify.annotations.Nullable Throwable cause,
            boolean writableStackTrace) {
        super(message, cause, false, writableStackTrace);
        this.component = component;
    }

    /** The name of the component that raised it. */
    public String component() {
        return component;
    }
}
