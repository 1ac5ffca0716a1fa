/** Bulwark's YAML configuration: validated with file and line, per-adapter overrides, hot reload. */
module dev.bulwark.yaml {
    requires transitive dev.bulwark.core;
    requires transitive dev.bulwark.monitor;
    requires transitive dev.bulwark.replica;
    requires org.yaml.snakeyaml;
    requires static org.jspecify;

    exports dev.bulwark.yaml;
}
