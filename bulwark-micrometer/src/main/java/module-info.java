/** Binds every component in a Bulwark registry to Micrometer, one label-based meter family per kind. */
module dev.bulwark.micrometer {
    requires transitive dev.bulwark.core;
    requires transitive dev.bulwark.monitor;
    requires transitive micrometer.core;
    requires static org.jspecify;

    exports dev.bulwark.micrometer;
}
