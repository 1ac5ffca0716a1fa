package dev.bulwark.internal;

import dev.bulwark.ConfigException;
import java.time.Duration;

/** Configuration checks that fail with a {@link ConfigException} naming the component, field, value and range. */
public final class Checks {
    private Checks() {
    }

    /** {@code value} must be at least {@code min}. */
    public static int atLeast(String component, String field, int value, int min) {
        if (value < min) {
            throw new ConfigException(component, field, value, ">= " + min);
        }
        return value;
    }

    /** {@code value} must lie in {@code [min, max]}. */
    public static int between(String component, String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigException(component, field, value, "in [" + min + ", " + max + "]");
        }
        return value;
    }

    /** {@code value} must lie in {@code [min, max]} and not be NaN. */
    public static double between(String component, String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new ConfigException(component, field, value, "in [" + min + ", " + max + "]");
        }
        return value;
    }

    /** {@code value} must lie in {@code (min, max]} and not be NaN. */
    public static double aboveAndAtMost(String component, String field, double value, double min, double max) {
        if (!(value > min && value <= max)) {
            throw new ConfigException(component, field, value, "in (" + min + ", " + max + "]");
        }
        return value;
    }

    /** {@code value} must be present and strictly positive. */
    public static Duration positive(String component, String field, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new ConfigException(component, field, value, "a positive duration");
        }
        return value;
    }

    /** {@code value} must be present and not negative. */
    public static Duration notNegative(String component, String field, Duration value) {
        if (value == null || value.isNegative()) {
            throw new ConfigException(component, field, value, "a duration >= 0");
        }
        return value;
    }

    /** A required setting (one without a default) must have been given. */
    public static <T> T required(String component, String field, @org.jspecify.annotations.Nullable T value) {
        if (value == null) {
            throw new ConfigException(component, field, "not set", "set (it has no default)");
        }
        return value;
    }

    /** A name must be non-blank. */
    public static String name(String kind, String name) {
        if (name == null || name.isBlank()) {
            throw new ConfigException(kind, "name", name == null ? "null" : "'" + name + "'", "a non-blank name");
        }
        return name;
    }
}
