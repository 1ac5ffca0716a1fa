package dev.bulwark.fallback;

import dev.bulwark.ConfigException;
import dev.bulwark.ExecutionContext;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventListener;
import dev.bulwark.event.EventSource;
import dev.bulwark.event.Subscription;
import dev.bulwark.resource.ResourceMonitor;
import dev.bulwark.resource.ResourceType;
import dev.bulwark.retry.Retry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
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
 * <p>Without {@code strategies(...)}, the order is the seed's (RETRY, SWITCH_PROVIDER, DEGRADE_SERVICE,
 * QUEUE_REQUEST, USE_CACHE) over the strategies whose ingredients were given. A strategy given in the order
 * without its ingredient (RETRY without a retry, ...) fails at build time. Full answers refresh the cache;
 * answers to a degraded request do not. Errors and interruptions end the chain at once: no strategy answers
 * a caller who gave up. For calls that are not typed requests (a lambda in a pipeline), use
 * {@link FallbackPolicy}. This class is thread-safe if its parts are.
 *
 * @param <Q> the request type
 * @param <R> the answer type
 */
public final class FallbackChain<Q, R> implements Component, EventSource<FallbackEvent> {

    /** A call to a provider. */
    @FunctionalInterface
    public interface Call<Q, R> {
        /** Answers the request. */
        R call(Q request, ExecutionContext context) throws Exception;
    }

    private final FallbackEngine<Q, R> engine;
    private final Call<Q, R> primary;
    private final Map<String, Call<Q, R>> providers;
    private final @Nullable Retry retry;
    private final @Nullable CircuitBreaker breaker;
    private final FallbackEngine.Attempts<Q, R> attempts = new FallbackEngine.Attempts<>() {
        @Override
        public CompletionStage<R> primary(Q request, ExecutionContext context) {
            return FallbackEngine.now(() -> callPrimary(request, context));
        }

        @Override
        public CompletionStage<R> retried(Q request, ExecutionContext context) {
            return FallbackEngine.now(() -> Objects.requireNonNull(retry).execute(context, ctx -> callPrimary(request, ctx)));
        }

        @Override
        public CompletionStage<R> provider(String name, Q request, ExecutionContext context) {
            return FallbackEngine.now(() -> Objects.requireNonNull(providers.get(name)).call(request, context));
        }
    };

    private FallbackChain(Builder<Q, R> builder) {
        this.engine = builder.parts.build(List.copyOf(builder.providers.keySet()));
        this.primary = builder.primary;
        this.providers = Map.copyOf(builder.providers);
        this.retry = builder.parts.retry;
        this.breaker = builder.parts.breaker;
    }

    /** A builder for a chain called {@code name} whose primary provider is {@code primary}. */
    public static <Q, R> Builder<Q, R> builder(String name, Call<Q, R> primary) {
        return new Builder<>(name, primary);
    }

    /** Answers {@code request} at NORMAL priority. */
    public FallbackResult<R> execute(Q request) {
        return execute(request, Priority.NORMAL);
    }

    /**
     * Answers {@code request}; {@code priority} matters to the load shedder.
     *
     * @throws Error an error thrown by a provider, unchanged
     * @throws java.util.concurrent.CancellationException if the thread was interrupted (the interrupt is kept)
     */
    public FallbackResult<R> execute(Q request, Priority priority) {
        Objects.requireNonNull(request, "request");
        ExecutionContext context = ExecutionContext.detached().withTag("priority", priority.name());
        try {
            return FallbackEngine.joinNow(engine.answer(request, context, attempts));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            CancellationException cancelled = new CancellationException("fallback chain '" + name() + "' was interrupted");
            cancelled.initCause(interrupted);
            throw cancelled;
        } catch (RuntimeException | Error unchanged) {
            throw unchanged;
        } catch (Exception unexpected) {
            throw new IllegalStateException(unexpected);
        }
    }

    private R callPrimary(Q request, ExecutionContext context) throws Exception {
        return breaker == null ? primary.call(request, context)
                : breaker.execute(context, ctx -> primary.call(request, ctx));
    }

    /** The strategies, in the order they are tried. */
    public List<FallbackStrategy> strategies() {
        return engine.order;
    }

    /** How many executions ended with {@code outcome}. */
    public long count(FallbackResult.Outcome outcome) {
        return engine.count(outcome);
    }

    @Override
    public Subscription subscribe(EventListener<? super FallbackEvent> listener) {
        return engine.subscribe(listener);
    }

    @Override
    public long listenerFailures() {
        return engine.listenerFailures();
    }

    @Override
    public String name() {
        return engine.name;
    }

    @Override
    public Class<? extends Component> kind() {
        return FallbackChain.class;
    }

    /** Builds a {@link FallbackChain}. Not thread-safe. */
    public static final class Builder<Q, R> {
        private final FallbackIngredients<Q> parts;
        private final Call<Q, R> primary;
        private final Map<String, Call<Q, R>> providers = new LinkedHashMap<>();

        private Builder(String name, Call<Q, R> primary) {
            this.parts = new FallbackIngredients<>("fallback chain", name);
            this.primary = Objects.requireNonNull(primary, "primary");
        }

        /** The strategies, in the order to try them (default: the seed's order over the ingredients given). */
        public Builder<Q, R> strategies(FallbackStrategy... strategies) {
            parts.strategies(strategies);
            return this;
        }

        /** The resource checked before the call (and before each alternative provider, by its name as key). */
        public Builder<Q, R> resource(ResourceMonitor monitor, ResourceType type, Function<Q, String> keyOfRequest) {
            parts.resource(monitor, type, keyOfRequest);
            return this;
        }

        /** The retry policy of RETRY. */
        public Builder<Q, R> retry(Retry retry) {
            parts.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /** An alternative provider for SWITCH_PROVIDER, tried in the order added. */
        public Builder<Q, R> provider(String providerName, Call<Q, R> call) {
            providers.put(Objects.requireNonNull(providerName, "providerName"), Objects.requireNonNull(call, "call"));
            return this;
        }

        /** How DEGRADE_SERVICE degrades a request. */
        public Builder<Q, R> degrade(UnaryOperator<Q> degrader) {
            parts.degrader = Objects.requireNonNull(degrader, "degrader");
            return this;
        }

        /** Where QUEUE_REQUEST puts requests. */
        public Builder<Q, R> queue(DeferredQueue<Q> queue) {
            parts.queue(queue, Function.identity());
            return this;
        }

        /** The cache of USE_CACHE, keyed by {@code keyOfRequest}; every full answer refreshes it. */
        public <K> Builder<Q, R> cache(ResultCache<K, R> cache, Function<Q, K> keyOfRequest) {
            parts.cache(cache, keyOfRequest);
            return this;
        }

        /** The circuit breaker the primary runs behind. */
        public Builder<Q, R> circuitBreaker(CircuitBreaker breaker) {
            parts.breaker = Objects.requireNonNull(breaker, "breaker");
            return this;
        }

        /** The load shedder that admits requests (by priority). */
        public Builder<Q, R> loadShedder(LoadShedder shedder) {
            parts.shedder = Objects.requireNonNull(shedder, "shedder");
            return this;
        }

        /**
         * The chain.
         *
         * @throws ConfigException if a strategy lacks its ingredient or appears twice, or there is none
         */
        public FallbackChain<Q, R> build() {
            return new FallbackChain<>(this);
        }
    }
}
