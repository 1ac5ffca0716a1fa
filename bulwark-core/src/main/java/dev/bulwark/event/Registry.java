package dev.bulwark.event;

import dev.bulwark.internal.listeners.Listeners;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The named components of a running system. The metrics binder, the admin API and the configuration
 * loader find components here, and registry listeners learn when one is added or removed.
 *
 * <p>A component is keyed by its {@linkplain Component#kind() kind} and name. This class is thread-safe.
 */
public final class Registry implements EventSource<Registry.Event> {

    private record Key(Class<? extends Component> kind, String name) {
    }

    private final ConcurrentHashMap<Key, Component> components = new ConcurrentHashMap<>();
    private final Listeners<Registry.Event> listeners = new Listeners<>("registry");

    /** An empty registry. */
    public Registry() {
    }

    /**
     * Adds a component.
     *
     * @return the component, for chaining
     * @throws IllegalArgumentException if a component of the same kind and name is registered already
     */
    public <C extends Component> C register(C component) {
        Objects.requireNonNull(component, "component");
        Key key = key(component);
        Component existing = components.putIfAbsent(key, component);
        if (existing != null) {
            throw new IllegalArgumentException(kindName(key.kind()) + " '" + key.name() + "' is registered already; "
                    + "remove it first or use replace()");
        }
        listeners.publish(new Registry.Event.Added(component));
        return component;
    }

    /** Adds a component, replacing (and returning) one of the same kind and name if present. */
    public <C extends Component> Optional<Component> replace(C component) {
        Objects.requireNonNull(component, "component");
        Component previous = components.put(key(component), component);
        if (previous != null) {
            listeners.publish(new Registry.Event.Removed(previous));
        }
        listeners.publish(new Registry.Event.Added(component));
        return Optional.ofNullable(previous);
    }

    /** The component of type {@code kind} called {@code name}, if registered. */
    public <C extends Component> Optional<C> find(Class<C> kind, String name) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Component found = components.get(new Key(kind, name));
        if (found != null && kind.isInstance(found)) {
            return Optional.of(kind.cast(found));
        }
        for (Component component : components.values()) {
            if (component.name().equals(name) && kind.isInstance(component)) {
                return Optional.of(kind.cast(component));
            }
        }
        return Optional.empty();
    }

    /**
     * The component of type {@code kind} called {@code name}.
     *
     * @throws java.util.NoSuchElementException naming the kind and name, if none is registered
     */
    public <C extends Component> C get(Class<C> kind, String name) {
        return find(kind, name).orElseThrow(() -> new java.util.NoSuchElementException(
                "no " + kindName(kind) + " named '" + name + "' is registered"));
    }

    /** Every component that is an instance of {@code type}, sorted by name. */
    public <C> List<C> all(Class<C> type) {
        Objects.requireNonNull(type, "type");
        List<C> matching = new ArrayList<>();
        for (Component component : components.values()) {
            if (type.isInstance(component)) {
                matching.add(type.cast(component));
            }
        }
        matching.sort(Comparator.comparing(c -> ((Component) c).name()));
        return matching;
    }

    /** Every component, sorted by kind and name. */
    public List<Component> all() {
        List<Component> everything = new ArrayList<>(components.values());
        everything.sort(Comparator.comparing((Component c) -> c.kind().getSimpleName()).thenComparing(Component::name));
        return everything;
    }

    /** Removes the component of kind {@code kind} called {@code name}; returns it if it was there. */
    public <C extends Component> Optional<C> remove(Class<C> kind, String name) {
        Component removed = components.remove(new Key(kind, name));
        if (removed == null) {
            return Optional.empty();
        }
        listeners.publish(new Registry.Event.Removed(removed));
        return Optional.of(kind.cast(removed));
    }

    /** The number of registered components. */
    public int size() {
        return components.size();
    }

    @Override
    public EventSource.Subscription subscribe(Consumer<? super Registry.Event> listener) {
        return listeners.add(listener)::run;
    }

    @Override
    public long listenerFailures() {
        return listeners.failures();
    }

    private static Key key(Component component) {
        Class<? extends Component> kind = Objects.requireNonNull(component.kind(), "component.kind()");
        if (!kind.isInstance(component)) {
            throw new IllegalArgumentException("component '" + component.name() + "' says its kind is "
                    + kind.getName() + " but is not one");
        }
        return new Key(kind, Objects.requireNonNull(component.name(), "component.name()"));
    }

    private static String kindName(Class<?> kind) {
        return kind.getSimpleName();
    }

    /** A change to a {@link Registry}'s contents. */
    public sealed interface Event {

        /** The component added or removed. */
        Component component();

        /** A component was registered. */
        record Added(Component component) implements Event {
        }

        /** A component was removed (or replaced, in which case an {@link Added} follows). */
        record Removed(Component component) implements Event {
        }
    }
}
