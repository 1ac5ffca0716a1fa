package dev.bulwark.fallback;

import dev.bulwark.ConfigException;
import dev.bulwark.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link Fallback.Builder} holds so far, started empty or from a config, and assembled into a
 * {@link Fallback.Config}; with the checks of the config's lists. Not thread-safe.
 */
final class FallbackSettings<T> {
    String name;
    final List<Class<? extends Throwable>> handledTypes = new ArrayList<>();
    final List<Predicate<? super Throwable>> handledIf = new ArrayList<>();
    @Nullable Predicate<? super T> unacceptedResult;
    /** The strategies of the config this builder started from; {@code strategies(...)} replaces them. */
    private final List<FallbackStrategy<T>> inherited = new ArrayList<>();
    private boolean inheritedExplicitOrder;
    /** Strategies given one by one to this builder. */
    final List<FallbackStrategy<T>> added = new ArrayList<>();
    /** Strategies given all at once, in the caller's order, to this builder. */
    @Nullable List<FallbackStrategy<T>> ordered;
    Clock clock = Clock.system();

    FallbackSettings(String name) {
        this.name = name;
    }

    FallbackSettings(Fallback.Config<T> config) {
        this.name = config.name();
        handledTypes.addAll(config.handledTypes());
        handledIf.addAll(config.handledIf());
        unacceptedResult = config.unacceptedResult();
        inherited.addAll(config.strategies());
        inheritedExplicitOrder = config.explicitOrder();
        clock = config.clock();
    }

    static String who(String name) {
        return "fallback '" + name + "'";
    }

    Fallback.Config<T> toConfig() {
        List<FallbackStrategy<T>> strategies;
        boolean explicitOrder;
        if (ordered != null) {
            if (!added.isEmpty()) {
                throw new ConfigException(who(name), "strategies", ordered, "either strategies(...) in your order or the "
                        + "one-by-one methods in the default order, not both (one by one: " + added + ")");
            }
            strategies = ordered;
            explicitOrder = true;
        } else {
            strategies = new ArrayList<>(inherited);
            strategies.addAll(added);
            explicitOrder = inheritedExplicitOrder;
        }
        return new Fallback.Config<>(name, handledTypes, handledIf, unacceptedResult, strategies, explicitOrder, clock);
    }

    /** An immutable copy of {@code list}, failing on a null list or element with the field's name. */
    static <E> List<E> copyWithoutNulls(@Nullable List<E> list, String field) {
        Objects.requireNonNull(list, field);
        for (E element : list) {
            Objects.requireNonNull(element, () -> field + " holds a null");
        }
        return List.copyOf(list);
    }

    /**
     * The strategies in the order they are tried: as given when {@code explicitOrder}, else in the default order (by
     * their outcome's declaration order, ties in the order given).
     *
     * @throws ConfigException if there is none or one appears twice
     */
    static <T> List<FallbackStrategy<T>> inOrder(String who, @Nullable List<FallbackStrategy<T>> strategies,
                                                 boolean explicitOrder) {
        List<FallbackStrategy<T>> chosen = new ArrayList<>(copyWithoutNulls(strategies, "strategies"));
        if (chosen.isEmpty()) {
            throw new ConfigException(who, "strategies", chosen, "at least one strategy");
        }
        Set<FallbackStrategy<T>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (FallbackStrategy<T> strategy : chosen) {
            if (!seen.add(strategy)) {
                throw new ConfigException(who, "strategies", chosen, "each strategy at most once");
            }
        }
        if (!explicitOrder) {
            chosen.sort(Comparator.comparingInt(strategy ->
                    Objects.requireNonNull(strategy.outcome(), () -> strategy + " has no outcome").ordinal()));
        }
        return List.copyOf(chosen);
    }

    /** Which exceptions a fallback of {@code config} handles (errors and cancellations are excluded elsewhere). */
    static Predicate<? super Throwable> handledCondition(Fallback.Config<?> config) {
        if (config.handledTypes().isEmpty() && config.handledIf().isEmpty()) {
            return error -> error instanceof Exception;
        }
        List<Class<? extends Throwable>> types = config.handledTypes();
        List<Predicate<? super Throwable>> conditions = config.handledIf();
        return error -> types.stream().anyMatch(type -> type.isInstance(error))
                || conditions.stream().anyMatch(condition -> condition.test(error));
    }
}
