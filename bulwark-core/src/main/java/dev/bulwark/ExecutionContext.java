package dev.bulwark;

import dev.bulwark.time.Clock;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one execution knows about itself: the attempt number (1 for the first), when it started, an optional
 * deadline, and the values the caller attached under typed {@link Key}s (a request id, the provider to
 * call, a token budget, a priority).
 *
 * <p>Contexts are immutable; policies derive new ones ({@link #withAttempt}, {@link #withDeadline},
 * {@link #with}) and hand them inward, so an inner policy sees the deadline an outer timeout set and a call
 * sees the provider a fallback switched to. Executions whose caller asked for no context share
 * {@link #detached()}, and a context that carries no value holds no storage for values, so the common path
 * allocates nothing. This class is thread-safe.
 */
public final class ExecutionContext {

    private static final Object[] NO_VALUES = new Object[0];
    private static final ExecutionContext DETACHED = new ExecutionContext(1, 0L, false, 0L, NO_VALUES);

    private final int attempt;
    private final long startNanos;
    private final boolean hasDeadline;
    private final long deadlineNanos;
    /** Keys and values alternating: key 0, value 0, key 1, value 1, ...; each key at most once. */
    private final Object[] values;

    private ExecutionContext(int attempt, long startNanos, boolean hasDeadline, long deadlineNanos, Object[] values) {
        this.attempt = attempt;
        this.startNanos = startNanos;
        this.hasDeadline = hasDeadline;
        this.deadlineNanos = deadlineNanos;
        this.values = values;
    }

    /** A context for an execution starting now on {@code clock}, carrying no values. */
    public static ExecutionContext start(Clock clock) {
        return new ExecutionContext(1, clock.nanoTime(), false, 0L, NO_VALUES);
    }

    /**
     * The context shared by executions that did not ask for one: first attempt, no deadline, no values,
     * and a start time of 0 (unrecorded).
     */
    public static ExecutionContext detached() {
        return DETACHED;
    }

    /** The attempt number, 1 for the first call and incremented by each retry. */
    public int attempt() {
        return attempt;
    }

    /** The clock reading when the execution started; 0 for {@link #detached()}. */
    public long startNanos() {
        return startNanos;
    }

    /** The deadline as a clock reading, if one was set. */
    public boolean hasDeadline() {
        return hasDeadline;
    }

    /**
     * The deadline as a reading of the execution's clock.
     *
     * @throws IllegalStateException if no deadline was set
     */
    public long deadlineNanos() {
        if (!hasDeadline) {
            throw new IllegalStateException("no deadline set");
        }
        return deadlineNanos;
    }

    /** Nanoseconds left before the deadline at clock reading {@code nowNanos} (negative once passed); {@link Long#MAX_VALUE} without a deadline. */
    public long remainingNanos(long nowNanos) {
        return hasDeadline ? deadlineNanos - nowNanos : Long.MAX_VALUE;
    }

    /** The value carried under {@code key}, if any. */
    public <T> Optional<T> get(Key<T> key) {
        int index = indexOf(Objects.requireNonNull(key, "key"));
        return index < 0 ? Optional.empty() : Optional.of(key.cast(values[index + 1]));
    }

    /** The value carried under {@code key}, or {@code orElse} when there is none. */
    public <T> T getOrDefault(Key<T> key, T orElse) {
        int index = indexOf(Objects.requireNonNull(key, "key"));
        return index < 0 ? orElse : key.cast(values[index + 1]);
    }

    /** The keys this context carries values under, in the order they were first set. */
    public Set<Key<?>> keys() {
        Set<Key<?>> keys = new LinkedHashSet<>();
        for (int i = 0; i < values.length; i += 2) {
            keys.add((Key<?>) values[i]);
        }
        return Collections.unmodifiableSet(keys);
    }

    /**
     * This context carrying {@code value} under {@code key}, replacing a value the key already had. This context
     * is unchanged.
     *
     * @throws ClassCastException if {@code value} is not of the key's type (possible only through raw types)
     */
    public <T> ExecutionContext with(Key<T> key, T value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, () -> "value of key " + key);
        key.cast(value);
        int index = indexOf(key);
        Object[] copy;
        if (index >= 0) {
            if (values[index + 1] == value) {
                return this;
            }
            copy = values.clone();
        } else {
            copy = Arrays.copyOf(values, values.length + 2);
            index = values.length;
            copy[index] = key;
        }
        copy[index + 1] = value;
        return new ExecutionContext(attempt, startNanos, hasDeadline, deadlineNanos, copy);
    }

    /** This context without a value under {@code key}. */
    public ExecutionContext without(Key<?> key) {
        int index = indexOf(Objects.requireNonNull(key, "key"));
        if (index < 0) {
            return this;
        }
        Object[] copy = new Object[values.length - 2];
        System.arraycopy(values, 0, copy, 0, index);
        System.arraycopy(values, index + 2, copy, index, values.length - index - 2);
        return new ExecutionContext(attempt, startNanos, hasDeadline, deadlineNanos, copy);
    }

    /**
     * This context also carrying every value {@code other} carries ({@code other}'s value wins for a key both
     * carry); attempt, start and deadline stay this context's.
     */
    public ExecutionContext withValuesOf(ExecutionContext other) {
        Objects.requireNonNull(other, "other");
        if (other.values.length == 0) {
            return this;
        }
        if (values.length == 0) {
            return new ExecutionContext(attempt, startNanos, hasDeadline, deadlineNanos, other.values);
        }
        ExecutionContext merged = this;
        for (int i = 0; i < other.values.length; i += 2) {
            merged = merged.with(raw(other.values[i]), other.values[i + 1]);
        }
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static Key<Object> raw(Object key) {
        return (Key<Object>) key;
    }

    /** This context for attempt number {@code attempt} (1 or more). */
    public ExecutionContext withAttempt(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
        return attempt == this.attempt ? this
                : new ExecutionContext(attempt, startNanos, hasDeadline, deadlineNanos, values);
    }

    /**
     * This context with a deadline at clock reading {@code deadlineNanos}. An earlier deadline already
     * set wins: an inner policy can shorten the time left, never lengthen it.
     */
    public ExecutionContext withDeadline(long deadlineNanos) {
        if (hasDeadline && this.deadlineNanos - deadlineNanos <= 0) {
            return this;
        }
        return new ExecutionContext(attempt, startNanos, true, deadlineNanos, values);
    }

    private int indexOf(Key<?> key) {
        for (int i = 0; i < values.length; i += 2) {
            if (values[i] == key) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("ExecutionContext[attempt=").append(attempt);
        if (hasDeadline) {
            text.append(", deadlineNanos=").append(deadlineNanos);
        }
        for (int i = 0; i < values.length; i += 2) {
            text.append(", ").append(values[i]).append('=').append(values[i + 1]);
        }
        return text.append(']').toString();
    }

    /**
     * A typed key for a value an execution carries in its {@link ExecutionContext}: a request id, the provider to
     * call, a token budget, a priority. Keys are compared by identity, so two keys with the same name are different
     * keys; declare each once as a constant and share it between the code that sets the value and the code that
     * reads it:
     *
     * <pre>{@code
     * static final ExecutionContext.Key<String> PROVIDER = ExecutionContext.Key.of("provider", String.class);
     * ExecutionContext context = ExecutionContext.detached().with(PROVIDER, "claude");
     * String provider = context.get(PROVIDER).orElse("gpt-4");
     * }</pre>
     *
     * <p>The name is for logs and {@link #toString()} only. This class is immutable and thread-safe.
     *
     * @param <T> the type of the value
     */
    public static final class Key<T> {
        private final String name;
        private final Class<T> type;

        private Key(String name, Class<T> type) {
            this.name = name;
            this.type = type;
        }

        /**
         * A new key called {@code name} for values of {@code type}.
         *
         * @throws ConfigException if the name is blank or the type primitive
         */
        public static <T> Key<T> of(String name, Class<T> type) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            if (name.isBlank()) {
                throw new ConfigException("context key", "name", name, "a non-blank name");
            }
            if (type.isPrimitive()) {
                throw new ConfigException("context key '" + name + "'", "type", type, "a reference type (Integer.class, not int.class)");
            }
            return new Key<>(name, type);
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
}
