package dev.bulwark.spring.config;

import dev.bulwark.spring.annotation.PolicyKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The starter's validated configuration.
 *
 * @param instances each instance's settings by name (those configured and those some method names)
 * @param order {@code bulwark.annotations.order}: every kind once, outermost first (default
 *        {@link PolicyKind#DEFAULT_ORDER})
 * @param pipelines {@code bulwark.pipelines.<name>.policies}, outermost first
 * @param failOnUninterceptable {@code bulwark.annotations.on-uninterceptable}: true ({@code fail}, the default) makes an
 *        annotation the proxy cannot apply a startup error, false ({@code warn}) a logged warning
 */
public record BulwarkSettings(Map<String, InstanceSettings> instances, List<PolicyKind> order,
                              Map<String, List<PolicyKind>> pipelines, boolean failOnUninterceptable) {
    /** Copies the collections. */
    public BulwarkSettings {
        instances = Map.copyOf(instances);
        order = List.copyOf(order);
        pipelines = Map.copyOf(pipelines);
    }

    /** The instance called {@code name}, if it was read. */
    public Optional<InstanceSettings> instance(String name) {
        return Optional.ofNullable(instances.get(name));
    }
}
