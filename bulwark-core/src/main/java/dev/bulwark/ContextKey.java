package dev.bulwark;

import java.util.Objects;

/**
 * A typed key for a value an execution carries in its {@link ExecutionContext}: a request id, the provider to
 * call, a token budget, a priority. Keys are compared by identity, so two keys with the same name are different
 * keys; declare each once as a constant and share it between the code that sets the value and the code that
 * reads it:
 *
 * <pre>{@code
 * static final ContextKey<String> PROVIDER = ContextKey.of("provider", String.class);
 * ExecutionContext context = ExecutionContext.detached().with(PROVIDER, "claude");
 * String provider = context.get(PROVIDER).orElse("gpt-4");
 * }</pre>
 *
 * <p>The name is for logs and {@link #toString()} only. This class is immutable and thread-safe.
 *
 * @param <T> the type of the value
 */
public final class ContextKey<T> {
    private final String name;
    private final Class<T> type;

    private ContextKey(String name, Class<T> type) {
        this.name = name;
        this.type = type;
    }

    /**
     * A new key called {@code name} for values of {@code type}.
     *
     * @throws ConfigException if the name is blank or the type primitive
     */
    public static <T> ContextKey<T> of(String name, Class<T> type) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isBlank()) {
            throw new ConfigException("context key", "name", name, "a non-blank name");
        }
        if (type.isPrimitive()) {
            throw new ConfigException("context key '" + name + "'", "type", type, "a reference type (Integer.class, not int.class)");
        }
        return new ContextKey<>(name, type);
    }

    /** The key's name, for logs. */
    public String name() {
        return name;
    }

    /** The type of the key's values. */
    public Class<T> type() {
        return type;
    }

    /**
     * {@code value} as this key's type.
     *
     * @throws ClassCastException if it is not a {@code T}
     */
    T cast(Object value) {
        return type.cast(value);
    }

    @Override
    public String toString() {
        return name;
    }
}
