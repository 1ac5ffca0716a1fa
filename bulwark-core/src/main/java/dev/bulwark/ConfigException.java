package dev.bulwark;

/**
 * Invalid configuration, reported when a config is built or loaded. The message names the component,
 * the field, the rejected value and what is allowed, e.g.
 * {@code circuit 'payments': failureRateThreshold must be in [0.0, 100.0], was 120.0}.
 */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String value;
    private final String allowed;

    /**
     * @param component what is being configured, e.g. {@code circuit 'payments'}
     * @param field the field's name as the builder spells it
     * @param value the rejected value
     * @param allowed what is allowed, e.g. {@code in (0, 100]}
     */
    public ConfigException(String component, String field, Object value, String allowed) {
        super(component + ": " + field + " must be " + allowed + ", was " + value);
        this.field = field;
        this.value = String.valueOf(value);
        this.allowed = allowed;
    }

    /** The field in error. */
    public String field() {
        return field;
    }

    /** The rejected value, as text. */
    public String value() {
        return value;
    }

    /** What the field allows. */
    public String allowed() {
        return allowed;
    }
}
