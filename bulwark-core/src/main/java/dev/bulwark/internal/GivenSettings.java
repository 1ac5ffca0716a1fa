package dev.bulwark.internal;

import dev.bulwark.ConfigException;
import java.util.HashSet;
import java.util.Set;

/** The settings a builder was given so far; a setting given a second time fails naming it. Not thread-safe. */
public final class GivenSettings {
    private final Set<String> given = new HashSet<>();

    /**
     * Records that {@code setting} was given.
     *
     * @param component what is being built, e.g. {@code circuit 'payments'}
     * @throws ConfigException naming the setting if it was given before
     */
    public void mark(String component, String setting) {
        if (!given.add(setting)) {
            throw new ConfigException(component, setting, "given twice", "given at most once");
        }
    }

    /** Whether {@code setting} was given. */
    public boolean has(String setting) {
        return given.contains(setting);
    }
}
