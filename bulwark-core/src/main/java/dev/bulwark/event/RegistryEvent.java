package dev.bulwark.event;

/** A change to a {@link Registry}'s contents. */
public sealed interface RegistryEvent {

    /** The component added or removed. */
    Component component();

    /** A component was registered. */
    record Added(Component component) implements RegistryEvent {
    }

    /** A component was removed (or replaced, in which case an {@link Added} follows). */
    record Removed(Component component) implements RegistryEvent {
    }
}
