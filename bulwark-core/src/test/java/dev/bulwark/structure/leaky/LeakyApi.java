package dev.bulwark.structure.leaky;

import dev.bulwark.internal.GivenSettings;
import dev.bulwark.time.Clock;

/** A public type that shows an internal one, for {@code ModuleStructureTest} to find. */
public final class LeakyApi {
    private LeakyApi() {
    }

    /** Shows an exported type: not a leak. */
    public static Clock clock() {
        return Clock.system();
    }

    /** Shows a type of a package exported only to Bulwark's own modules: a leak. */
    public static GivenSettings settings() {
        return new GivenSettings();
    }
}
