package dev.bulwark.resource;

/** What a resource monitor reports: status changes, never every reading. */
public sealed interface ResourceEvent {

    /** The monitor's name. */
    String name();

    /** A resource's status changed. */
    record StatusChanged(String name, ResourceType type, String key, ResourceMonitor.Status from, ResourceMonitor.Status to,
                         double usagePercent) implements ResourceEvent {
    }
}
