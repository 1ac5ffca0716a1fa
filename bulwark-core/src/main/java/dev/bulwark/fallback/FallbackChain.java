package dev.bulwark.fallback;

import dev.bulwark.ConfigException;
import dev.bulwark.ExecutionContext;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.Component;
import dev.bulwark.internal.Checks;
import dev.bulwark.resource.ResourceMonitor;
import dev.bulwark.resource.ResourceType;
import dev.bulwark.retry.Retry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Seed 2's fallback protocol for one kind of request: check the resource, call the primary (behind its
 * circuit breaker and load shedder, when given), and when the call fails or the resource is constrained,
 * apply the configured strategies in order until one answers. The {@link FallbackResult} says which did.
 *
 * <pre>{@code
 * FallbackChain<Prompt, Answer> llm = FallbackChain.builder("llm", (prompt, ctx) -> modelA.ask(prompt))
 *         .resource(resources, ResourceType.API_QUOTA, prompt -> "model-a")
 *         .strategies(FallbackStrategy.RETRY, FallbackStrategy.SWITCH_PROVIDER, FallbackStrategy.DEGRADE_SERVICE,
 *                 FallbackStrategy.USE_CACHE, FallbackStrategy.QUEUE_REQUEST)
 *         .retry(retry).provider("model-b", (prompt, ctx) -> modelB.ask(prompt))
 *         .degrade(Prompt::withFewerTokens).cache(cache, Prompt::text).queue(queue)
 *         .build();
 * FallbackResult<Answer> answer = llm.execute(prompt);
 * }</pre>
 *
 * <p>A strategy given in the order without its ingredient (RETRY without a retry, ...) fails at build time.
 * Successful answers refresh the cache. This class is thread-safe if its parts are.
 *
 * @param <Q> the request type
 * @param <R> the answer type
 */
public final class FallbackChain<Q, R> implements Component {

    /** A call to a provider. */
    @FunctionalInterface
    public interface Call<Q, R> {
        /** Answers the request. */
        R call(Q request, ExecutionContext context) throws Exception;
    }

    private final Builder<Q, R> parts;
    private final List<FallbackStrategy> order;

    private FallbackChain(Builder<Q, R> parts) {
        this.parts = parts;
        this.order = List.copyOf(parts.order);
    }

    /** A builder for a chain called {@code name} whose primary provider is {@code primary}. */
    public static <Q, R> Builder<Q, R> builder(String name, Call<Q, R> primary) {
        return new Builder<>(name, primary);
    }

    /** Answers {@code request} at NORMAL priority. */
    public FallbackResult<R> execute(Q request) {
        return execute(request, Priority.NORMAL);
    }

    /** Answers {@code request}; {@code priority} matters to the load shedder. */
    public FallbackResult<R> execute(Q request, Priority priority) {
        Objects.requireNonNull(request, "request");
        List<String> trail = new ArrayList<>();
        ExecutionContext context = ExecutionContext.detached().withTag("priority", priority.name());
        LoadShedder shedder = parts.shedder;
        if (shedder != null && !shedder.tryAcquire(priority)) {
            trail.add("shed at admission");
            return new FallbackResult<>(FallbackResult.Outcome.SHED, null, java.util.OptionalLong.empty(), trail,
                    new LoadShedException(parts.name, priority, "admission refused"));
        }
        try {
            return answer(request, context, trail);
        } finally {
            if (shedder != null) {
                shedder.release();
            }
        }
    }

    private FallbackResult<R> answer(Q request, ExecutionContext context, List<String> trail) {
        Throwable failure = null;
        boolean constrained = constrained(request, trail);
        if (!constrained) {
            try {
                return served(FallbackResult.Outcome.SERVED, request, primary(request, context), trail);
            } catch (Exception error) {
                failure = error;
                trail.add("primary: " + describe(error));
            }
        }
        for (FallbackStrategy strategy : order) {
            try {
                FallbackResult<R> result = apply(strategy, request, context, constrained, failure, trail);
                if (result != null) {
                    return result;
                }
            } catch (Exception error) {
                failure = error;
                trail.add(strategy + ": " + describe(error));
            }
        }
        trail.add("no strategy answered");
        return new FallbackResult<>(FallbackResult.Outcome.FAILED, null, java.util.OptionalLong.empty(), trail, failure);
    }

    /** One strategy: an answer, or null to go on to the next. */
    private @Nullable FallbackResult<R> apply(FallbackStrategy strategy, Q request, ExecutionContext context,
                                              boolean constrained, @Nullable Throwable failure, List<String> trail)
            throws Exception {
        switch (strategy) {
            case RETRY -> {
                if (constrained) {
                    trail.add("RETRY skipped: resource constrained");
                    return null;
                }
                R value = Objects.requireNonNull(parts.retry).execute(context, ctx -> primary(request, ctx));
                return served(FallbackResult.Outcome.RETRIED, request, value, trail);
            }
            case SWITCH_PROVIDER -> {
                for (Map.Entry<String, Call<Q, R>> provider : parts.providers.entrySet()) {
                    if (!usable(provider.getKey())) {
                        trail.add("provider " + provider.getKey() + " skipped: resource constrained");
                        continue;
                    }
                    try {
                        R value = provider.getValue().call(request, context);
                        trail.add("provider " + provider.getKey());
                        return served(FallbackResult.Outcome.SWITCHED, request, value, trail);
                    } catch (Exception error) {
                        trail.add("provider " + provider.getKey() + ": " + describe(error));
                    }
                }
                return null;
            }
            case DEGRADE_SERVICE -> {
                Q degraded = Objects.requireNonNull(parts.degrader).apply(request);
                return served(FallbackResult.Outcome.DEGRADED, request, primary(degraded, context), trail);
            }
            case QUEUE_REQUEST -> {
                long ticket = Objects.requireNonNull(parts.queue).offer(request);
                trail.add("queued as " + ticket);
                return new FallbackResult<>(FallbackResult.Outcome.QUEUED, null, java.util.OptionalLong.of(ticket), trail, failure);
            }
            case USE_CACHE -> {
                @SuppressWarnings("unchecked")
                ResultCache<Object, R> cache = (ResultCache<Object, R>) Objects.requireNonNull(parts.cache);
                R cached = cache.usable(Objects.requireNonNull(parts.cacheKey).apply(request)).orElse(null);
                if (cached == null) {
                    trail.add("cache: nothing usable");
                    return null;
                }
                trail.add("cache");
                return new FallbackResult<>(FallbackResult.Outcome.CACHED, cached, java.util.OptionalLong.empty(), trail, failure);
            }
            case CIRCUIT_BREAK -> {
                trail.add("circuit break: failing fast");
                return new FallbackResult<>(FallbackResult.Outcome.FAILED, null, java.util.OptionalLong.empty(), trail, failure);
            }
            case LOAD_SHED -> {
                trail.add("shed");
                return new FallbackResult<>(FallbackResult.Outcome.SHED, null, java.util.OptionalLong.empty(), trail, failure);
            }
            default -> throw new IllegalStateException("unknown strategy " + strategy);
        }
    }

    private R primary(Q request, ExecutionContext context) throws Exception {
        CircuitBreaker breaker = parts.breaker;
        return breaker == null ? parts.primary.call(request, context)
                : breaker.execute(context, ctx -> parts.primary.call(request, ctx));
    }

    private FallbackResult<R> served(FallbackResult.Outcome outcome, Q request, R value, List<String> trail) {
        if (parts.cache != null) {
            @SuppressWarnings("unchecked")
            ResultCache<Object, R> cache = (ResultCache<Object, R>) parts.cache;
            cache.put(Objects.requireNonNull(parts.cacheKey).apply(request), value);
        }
        trail.add(outcome.name().toLowerCase(java.util.Locale.ROOT));
        return new FallbackResult<>(outcome, value, java.util.OptionalLong.empty(), trail, null);
    }

    private boolean constrained(Q request, List<String> trail) {
        if (parts.monitor == null) {
            return false;
        }
        String key = Objects.requireNonNull(parts.resourceKey).apply(request);
        boolean usable = usable(key);
        if (!usable) {
            trail.add("resource " + parts.resource + "/" + key + " constrained");
        }
        return !usable;
    }

    private boolean usable(String key) {
        return parts.monitor == null || parts.monitor.canUse(Objects.requireNonNull(parts.resource), key);
    }

    private static String describe(Throwable error) {
        return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : " " + error.getMessage());
    }

    /** The strategies, in the order they are tried. */
    public List<FallbackStrategy> strategies() {
        return order;
    }

    @Override
    public String name() {
        return parts.name;
    }

    @Override
    public Class<? extends Component> kind() {
        return FallbackChain.class;
    }

    /** Builds a {@link FallbackChain}. Not thread-safe. */
    public static final class Builder<Q, R> {
        final String name;
        final Call<Q, R> primary;
        final List<FallbackStrategy> order = new ArrayList<>();
        final Map<String, Call<Q, R>> providers = new LinkedHashMap<>();
        @Nullable ResourceMonitor monitor;
        @Nullable ResourceType resource;
        @Nullable Function<Q, String> resourceKey;
        @Nullable Retry retry;
        @Nullable UnaryOperator<Q> degrader;
        @Nullable DeferredQueue<Q> queue;
        @Nullable ResultCache<?, R> cache;
        @Nullable Function<Q, ?> cacheKey;
        @Nullable CircuitBreaker breaker;
        @Nullable LoadShedder shedder;

        private Builder(String name, Call<Q, R> primary) {
            this.name = name;
            this.primary = Objects.requireNonNull(primary, "primary");
        }

        /** The strategies, in the order to try them. */
        public Builder<Q, R> strategies(FallbackStrategy... strategies) {
            order.clear();
            order.addAll(List.of(strategies));
            return this;
        }

        /** The resource checked before the call (and before each alternative provider, by its name as key). */
        public Builder<Q, R> resource(ResourceMonitor monitor, ResourceType type, Function<Q, String> keyOfRequest) {
            this.monitor = Objects.requireNonNull(monitor, "monitor");
            this.resource = Objects.requireNonNull(type, "type");
            this.resourceKey = Objects.requireNonNull(keyOfRequest, "keyOfRequest");
            return this;
        }

        /** The retry policy of RETRY. */
        public Builder<Q, R> retry(Retry retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /** An alternative provider for SWITCH_PROVIDER, tried in the order added. */
        public Builder<Q, R> provider(String providerName, Call<Q, R> call) {
            providers.put(Objects.requireNonNull(providerName, "providerName"), Objects.requireNonNull(call, "call"));
            return this;
        }

        /** How DEGRADE_SERVICE degrades a request. */
        public Builder<Q, R> degrade(UnaryOperator<Q> degrader) {
            this.degrader = Objects.requireNonNull(degrader, "degrader");
            return this;
        }

        /** Where QUEUE_REQUEST puts requests. */
        public Builder<Q, R> queue(DeferredQueue<Q> queue) {
            this.queue = Objects.requireNonNull(queue, "queue");
            return this;
        }

        /** The cache of USE_CACHE, keyed by {@code keyOfRequest}; every answer refreshes it. */
        public <K> Builder<Q, R> cache(ResultCache<K, R> cache, Function<Q, K> keyOfRequest) {
            this.cache = Objects.requireNonNull(cache, "cache");
            this.cacheKey = Objects.requireNonNull(keyOfRequest, "keyOfRequest");
            return this;
        }

        /** The circuit breaker the primary runs behind. */
        public Builder<Q, R> circuitBreaker(CircuitBreaker breaker) {
            this.breaker = Objects.requireNonNull(breaker, "breaker");
            return this;
        }

        /** The load shedder that admits requests (by priority). */
        public Builder<Q, R> loadShedder(LoadShedder shedder) {
            this.shedder = Objects.requireNonNull(shedder, "shedder");
            return this;
        }

        /**
         * The chain.
         *
         * @throws ConfigException if a strategy lacks its ingredient or appears twice
         */
        public FallbackChain<Q, R> build() {
            String who = "fallback chain '" + Checks.name("fallback chain", name) + "'";
            if (order.stream().distinct().count() != order.size()) {
                throw new ConfigException(who, "strategies", order, "each strategy at most once");
            }
            for (FallbackStrategy strategy : order) {
                String missing = switch (strategy) {
                    case RETRY -> retry == null ? "retry(...)" : null;
                    case SWITCH_PROVIDER -> providers.isEmpty() ? "provider(...)" : null;
                    case DEGRADE_SERVICE -> degrader == null ? "degrade(...)" : null;
                    case QUEUE_REQUEST -> queue == null ? "queue(...)" : null;
                    case USE_CACHE -> cache == null ? "cache(...)" : null;
                    default -> null;
                };
                if (missing != null) {
                    throw new ConfigException(who, "strategies", strategy, "given its ingredient: call " + missing);
                }
            }
            return new FallbackChain<>(this);
        }
    }
}
