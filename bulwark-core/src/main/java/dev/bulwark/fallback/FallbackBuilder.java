package dev.bulwark.fallback;

import dev.bulwark.ConfigException;
import dev.bulwark.ExecutionContext;
import dev.bulwark.internal.Checks;
import dev.bulwark.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link Fallback}. Strategies are given either one by one ({@link #switchProvider}, {@link #degrade},
 * {@link #cache}, {@link #shed}, {@link #add}), and then run in the default order whatever the order of the calls
 * (switch provider, degrade, queue, cache, substitute, shed: the declaration order of their
 * {@link FallbackResult.Outcome outcomes}), or all at once with {@link #strategies}, and then run in the order given.
 * Not thread-safe.
 *
 * @param <T> the result type
 */
public final class FallbackBuilder<T> {
    private final String name;
    private final List<FallbackStrategy<T>> added = new ArrayList<>();
    private @Nullable List<FallbackStrategy<T>> ordered;
    private final List<Class<? extends Throwable>> handledTypes = new ArrayList<>();
    private final List<Predicate<? super Throwable>> handledIf = new ArrayList<>();
    private @Nullable Predicate<? super T> rejectedResult;
    private Clock clock = Clock.system();

    FallbackBuilder(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    private String who() {
        return "fallback '" + name + "'";
    }

    /**
     * Handles only exceptions of these types (and their subtypes), besides those {@link #handleIf} accepts. Without
     * {@code handle} or {@code handleIf}, every {@link Exception} is handled. Errors, interruptions and
     * cancellations are never handled.
     */
    @SafeVarargs
    public final FallbackBuilder<T> handle(Class<? extends Throwable>... types) {
        for (Class<? extends Throwable> type : Objects.requireNonNull(types, "types")) {
            handledTypes.add(Objects.requireNonNull(type, "type"));
        }
        return this;
    }

    /** Handles exceptions {@code condition} accepts, besides the types given to {@link #handle}. */
    public FallbackBuilder<T> handleIf(Predicate<? super Throwable> condition) {
        handledIf.add(Objects.requireNonNull(condition, "condition"));
        return this;
    }

    /**
     * Falls back also when the call answers a result {@code unacceptable} accepts (null, false, an error
     * payload); it is tested with every answer, null included. Default: every result is accepted.
     *
     * @throws ConfigException if given twice
     */
    public FallbackBuilder<T> handleResult(Predicate<? super T> unacceptable) {
        if (rejectedResult != null) {
            throw new ConfigException(who(), "handleResult", "a second predicate", "given once");
        }
        rejectedResult = Objects.requireNonNull(unacceptable, "unacceptable");
        return this;
    }

    /**
     * The strategies, in the order to try them; instead of the one-by-one methods.
     *
     * @throws ConfigException if given twice
     */
    @SafeVarargs
    public final FallbackBuilder<T> strategies(FallbackStrategy<T>... inOrder) {
        if (ordered != null) {
            throw new ConfigException(who(), "strategies", List.of(inOrder), "given once");
        }
        List<FallbackStrategy<T>> given = new ArrayList<>();
        for (FallbackStrategy<T> strategy : Objects.requireNonNull(inOrder, "strategies")) {
            given.add(Objects.requireNonNull(strategy, "strategy"));
        }
        ordered = given;
        return this;
    }

    /** Adds a strategy, run in the default order (by its outcome). */
    public FallbackBuilder<T> add(FallbackStrategy<T> strategy) {
        added.add(Objects.requireNonNull(strategy, "strategy"));
        return this;
    }

    /** Adds {@link SwitchProvider#over}: calls again with {@code key} set to each alternative in turn. */
    @SafeVarargs
    public final <P> FallbackBuilder<T> switchProvider(ExecutionContext.Key<P> key, P... alternatives) {
        return add(SwitchProvider.over(key, alternatives));
    }

    /** Adds {@link Degrade#with}: calls again in the context {@code degrader} makes of the call's. */
    public FallbackBuilder<T> degrade(UnaryOperator<ExecutionContext> degrader) {
        return add(Degrade.with(degrader));
    }

    /** Adds {@link UseCache#of}: the last good answer under the context's key; full answers refresh it. */
    public <K> FallbackBuilder<T> cache(ResultCache<K, T> cache, Function<ExecutionContext, ? extends K> keyOfContext) {
        return add(UseCache.of(cache, keyOfContext));
    }

    /** Adds {@link Shed#reject()}: ends the execution with a {@link LoadShedException}. */
    public FallbackBuilder<T> shed() {
        return add(Shed.reject());
    }

    /** The clock of the contexts the fallback starts when it runs calls on its own (default: the system clock). */
    public FallbackBuilder<T> clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * The fallback.
     *
     * @throws ConfigException if the name is blank, there is no strategy, a strategy appears twice, or both
     *         {@link #strategies} and the one-by-one methods were used
     */
    public Fallback<T> build() {
        Checks.name("fallback", name);
        List<FallbackStrategy<T>> chosen;
        if (ordered != null) {
            if (!added.isEmpty()) {
                throw new ConfigException(who(), "strategies", ordered, "either strategies(...) in your order or the "
                        + "one-by-one methods in the default order, not both (one by one: " + added + ")");
            }
            chosen = ordered;
        } else {
            chosen = new ArrayList<>(added);
            chosen.sort(Comparator.comparingInt(strategy -> strategy.outcome().ordinal()));
        }
        if (chosen.isEmpty()) {
            throw new ConfigException(who(), "strategies", chosen, "at least one strategy");
        }
        Set<FallbackStrategy<T>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (FallbackStrategy<T> strategy : chosen) {
            if (!seen.add(strategy)) {
                throw new ConfigException(who(), "strategies", chosen, "each strategy at most once");
            }
        }
        return new Fallback<>(name, clock, chosen, handledCondition(), rejectedResult);
    }

    private Predicate<? super Throwable> handledCondition() {
        if (handledTypes.isEmpty() && handledIf.isEmpty()) {
            return error -> error instanceof Exception;
        }
        List<Class<? extends Throwable>> types = List.copyOf(handledTypes);
        List<Predicate<? super Throwable>> conditions = List.copyOf(handledIf);
        return error -> {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(error)) {
                    return true;
                }
            }
            for (Predicate<? super Throwable> condition : conditions) {
                if (condition.test(error)) {
                    return true;
                }
            }
            return false;
        };
    }
}
