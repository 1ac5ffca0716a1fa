package dev.bulwark.fallback;

import dev.bulwark.ConfigException;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.internal.Checks;
import dev.bulwark.resource.ResourceMonitor;
import dev.bulwark.resource.ResourceType;
import dev.bulwark.retry.Retry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * What the builders of {@link FallbackChain} and {@link FallbackPolicy} collect, and the checks both apply
 * before building. Not thread-safe.
 *
 * @param <Q> what a request is: the caller's type, or the execution context
 */
final class FallbackIngredients<Q> {
    /** The seed's order, used when none is given: the strategies whose ingredients were given. */
    private static final List<FallbackStrategy> SEED_ORDER = List.of(FallbackStrategy.RETRY, FallbackStrategy.SWITCH_PROVIDER,
            FallbackStrategy.DEGRADE_SERVICE, FallbackStrategy.QUEUE_REQUEST, FallbackStrategy.USE_CACHE);

    final String kindLabel;
    final String name;
    @Nullable List<FallbackStrategy> order;
    @Nullable ResourceMonitor monitor;
    @Nullable ResourceType resource;
    @Nullable Function<Q, String> resourceKey;
    @Nullable Retry retry;
    @Nullable UnaryOperator<Q> degrader;
    @Nullable ToLongFunction<Q> enqueue;
    @Nullable ResultCache<?, ?> cache;
    @Nullable Function<Q, ?> cacheKey;
    @Nullable CircuitBreaker breaker;
    @Nullable LoadShedder shedder;

    FallbackIngredients(String kindLabel, String name) {
        this.kindLabel = kindLabel;
        this.name = name;
    }

    void strategies(FallbackStrategy... strategies) {
        List<FallbackStrategy> given = new ArrayList<>();
        for (FallbackStrategy strategy : strategies) {
            given.add(Objects.requireNonNull(strategy, "strategy"));
        }
        this.order = given;
    }

    void resource(ResourceMonitor monitor, ResourceType type, Function<Q, String> keyOfRequest) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.resource = Objects.requireNonNull(type, "type");
        this.resourceKey = Objects.requireNonNull(keyOfRequest, "keyOfRequest");
    }

    <P> void queue(DeferredQueue<P> queue, Function<Q, P> itemOfRequest) {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(itemOfRequest, "itemOfRequest");
        this.enqueue = request -> {
            P item;
            try {
                item = itemOfRequest.apply(request);
            } catch (RuntimeException failure) {
                throw new ItemFunctionFailure(failure);
            }
            return queue.offer(item);
        };
    }

    <K> void cache(ResultCache<K, ?> cache, Function<Q, K> keyOfRequest) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.cacheKey = Objects.requireNonNull(keyOfRequest, "keyOfRequest");
    }

    /**
     * The engine, after checking the order: each strategy at most once, each with its ingredient.
     *
     * @throws ConfigException if the name is blank, a strategy lacks its ingredient or appears twice, or there is no strategy
     */
    <R> FallbackEngine<Q, R> build(List<String> providers) {
        String who = kindLabel + " '" + Checks.name(kindLabel, name) + "'";
        List<FallbackStrategy> chosen = order != null ? order
                : SEED_ORDER.stream().filter(strategy -> missing(strategy, providers) == null).toList();
        if (chosen.isEmpty()) {
            throw new ConfigException(who, "strategies", chosen, "at least one strategy, or the ingredient of one "
                    + "(retry, provider, degrade, queue, cache)");
        }
        if (chosen.stream().distinct().count() != chosen.size()) {
            throw new ConfigException(who, "strategies", chosen, "each strategy at most once");
        }
        for (FallbackStrategy strategy : chosen) {
            String missing = missing(strategy, providers);
            if (missing != null) {
                throw new ConfigException(who, "strategies", strategy, "given its ingredient: call " + missing);
            }
        }
        return new FallbackEngine<>(this, chosen, providers);
    }

    private @Nullable String missing(FallbackStrategy strategy, List<String> providers) {
        return switch (strategy) {
            case RETRY -> retry == null ? "retry(...)" : null;
            case SWITCH_PROVIDER -> providers.isEmpty() ? "provider(...)" : null;
            case DEGRADE_SERVICE -> degrader == null ? "degrade(...)" : null;
            case QUEUE_REQUEST -> enqueue == null ? "queue(...)" : null;
            case USE_CACHE -> cache == null ? "cache(...)" : null;
            case CIRCUIT_BREAK, LOAD_SHED -> null;
        };
    }

    /**
     * Carries the exception of the function that makes a queue item of a request past the queue's own refusals
     * (which are strategy failures), so that it ends the execution instead.
     */
    static final class ItemFunctionFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ItemFunctionFailure(RuntimeException cause) {
            super(null, cause, false, false);
        }
    }
}
