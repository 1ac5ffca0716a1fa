package dev.bulwark.spring.interception;

/**
 * Annotations that cannot work as written, found at startup: a method the proxy can never intercept, a fallback
 * method that does not fit, an impossible order or combination, a return type Bulwark cannot watch. The message
 * names the method and what to change.
 */
public final class BulwarkDefinitionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** A problem described by {@code message}. */
    public BulwarkDefinitionException(String message) {
        super(message);
    }

    /** A problem described by {@code message}, found because of {@code cause}. */
    public BulwarkDefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
