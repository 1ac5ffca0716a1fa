/**
 * The gateway's YAML configuration: {@link dev.bulwark.yaml.GatewayConfigLoader} reads a file into a validated
 * {@link dev.bulwark.yaml.GatewayConfig} (errors name file, line, field, value and range), and
 * {@link dev.bulwark.yaml.ConfigWatcher} reloads it when it changes.
 */
@NullMarked
package dev.bulwark.yaml;

import org.jspecify.annotations.NullMarked;
