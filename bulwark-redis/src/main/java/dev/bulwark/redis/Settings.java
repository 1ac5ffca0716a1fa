package dev.bulwark.redis;

import dev.bulwark.ConfigException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/** Validation and given-once bookkeeping for this module's configs (core keeps its own helpers internal). */
final class Settings {
    private final String component;
    private final Set<String> given = new HashSet<>();

    Settings(String component) {
        this.component = component;
    }

    void mark(String setting) {
        if (!given.add(setting)) {
            throw new ConfigException(component, setting, "given twice", "given at most once");
        }
    }

    boolean has(String setting) {
        return given.contains(setting);
    }

    static String name(String kind, String name) {
        if (name == null || name.isBlank()) {
            throw new ConfigException(kind, "name", name == null ? "null" : "'" + name + "'", "non-blank");
        }
        return name;
    }

    static long between(String component, String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ConfigException(component, field, value, "in [" + min + ", " + max + "]");
        }
        return value;
    }

    static double aboveAndAtMost(String component, String field, double value, double min, double max) {
        if (!(value > min && value <= max)) {
            throw new ConfigException(component, field, value, "in (" + min + ", " + max + "]");
        }
        return value;
    }

    static Duration between(String component, String field, Duration value, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigException(component, field, value, "in [" + min + ", " + max + "]");
        }
        return value;
    }
}
