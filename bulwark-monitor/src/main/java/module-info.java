/**
 * Bulwark monitor: what watches a whole system rather than one call. Health checks and the health monitor
 * ({@code dev.bulwark.health}), the resource monitor and its gate ({@code dev.bulwark.resource}), and the mode
 * orchestrator that turns their signals into an operating mode ({@code dev.bulwark.mode}). Depends on
 * {@code dev.bulwark.core} only.
 */
module dev.bulwark.monitor {
    requires transitive dev.bulwark.core;
    requires java.management;
    requires static org.jspecify;

    exports dev.bulwark.health;
    exports dev.bulwark.resource;
    exports dev.bulwark.mode;
}
