package dev.bulwark.spring.config;

/**
 * A {@code bulwark.*} setting that cannot be used. The message names the property as written in the configuration,
 * what is allowed and the value given, then where it was set:
 * {@code bulwark.instances.payments.retry.max_retries must be an integer in [-1, 2147483647], was -2
 * (class path resource [application.yml] - 7:22)}.
 */
public final class BulwarkConfigException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String property;

    /** A problem with {@code property}; {@code message} is the whole text. */
    public BulwarkConfigException(String property, String message) {
        super(message);
        this.property = property;
    }

    /** The property, e.g. {@code bulwark.instances.payments.retry.max_retries}. */
    public String property() {
        return property;
    }
}
