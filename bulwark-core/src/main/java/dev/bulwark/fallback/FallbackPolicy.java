package dev.bulwark.fallback;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.Policy;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventListener;
import dev.bulwark.event.EventSource;
import dev.bulwark.event.Subscription;
import dev.bulwark.internal.Outcomes;
import dev.bulwark.resource.ResourceMonitor;
import dev.bulwark.resource.ResourceType;
import dev.bulwark.retry.Retry;
import dev.bulwark.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Seed 2's {@code @with_fallback} as a {@link Policy}: it wraps any call, alone or in a pipeline, checks the
 * resource before it, and when the call fails or the resource is constrained applies the configured
 * strategies in order until one answers.
 *
 * <p>An opaque call has no request object, so the strategies act through its {@link ExecutionContext}, which
 * the call reads: SWITCH_PROVIDER calls it again with the tag {@value #PROVIDER_TAG} set to each alternative in
 * turn; DEGRADE_SERVICE calls it again with the context the degrade function returns (for instance with a tag
 * {@code max_tokens=500}); QUEUE_REQUEST puts what the queue function makes of the context into the deferred
 * queue; USE_CACHE keys the last good answer by a function of the context; the load shedder reads the
 * {@code priority} tag.
 *
 * <pre>{@code
 * FallbackPolicy llm = FallbackPolicy.builder("llm")
 *         .resource(resources, ResourceType.API_QUOTA, ctx -> ctx.tag("provider").orElse("model-a"))
 *         .retry(retry).providers("model-b", "model-c")
 *         .degrade(ctx -> ctx.withTag("max_tokens", "500"))
 *         .queue(queue, ExecutionContext::tags)
 *         .build();
 * Pipeline pipeline = Pipeline.of(timeout, llm);
 * String answer = pipeline.execute(ctx -> client.ask(ctx.tag("provider").orElse("model-a"), prompt), tags);
 * }</pre>
 *
 * <p>As a policy it returns the answer of whichever strategy produced one; a queued call throws a
 * {@link QueuedException} carrying the ticket, a shed one a {@link LoadShedException}, and when nothing
 * answered the last failure is thrown unchanged ({@link ResourceUnavailableException} if the resource
 * kept every attempt from running). {@link #executeForResult} instead returns a {@link FallbackResult} saying
 * which path answered; every execution also publishes a {@link FallbackEvent} and counts its outcome.
 *
 * <p>Without {@code strategies(...)}, the order is the seed's (RETRY, SWITCH_PROVIDER, DEGRADE_SERVICE,
 * QUEUE_REQUEST, USE_CACHE) over the strategies whose ingredients were given. Full answers refresh the cache;
 * answers to a degraded call do not. USE_CACHE returns what was cached under the key, so the calls sharing a
 * key must share a result type. This class is thread-safe if its parts are.
 */
public final class FallbackPolicy implements Policy, EventSource<FallbackEvent> {

    /** The context tag through which SWITCH_PROVIDER tells the call which alternative provider to use. */
    public static final String PROVIDER_TAG = "provider";

    private final FallbackEngine<ExecutionContext, Object> engine;
    private final @Nullable Retry retry;
    private final @Nullable CircuitBreaker breaker;
    private final Clock clock;

    private FallbackPolicy(Builder builder) {
        this.engine = builder.parts.build(List.copyOf(builder.providers));
        this.retry = builder.parts.retry;
        this.breaker = builder.parts.breaker;
        this.clock = builder.clock;
    }

    /** A builder for a policy called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    @Override
    public <T> T intercept(ExecutionContext context, ContextualSupplier<T> call, Chain next) throws Exception {
        if (!engine.direct()) {
            return valueOf(FallbackEngine.joinNow(engine.answer(context, context, syncAttempts(call, next))));
        }
        Chain primary = behindBreaker(next);
        T value;
        try {
            value = primary.proceed(context, call);
        } catch (Exception failure) {
            if (FallbackEngine.fatal(failure)) {
                throw failure;
            }
            SyncAttempts<T> attempts = new SyncAttempts<>(call, next, primary);
            return valueOf(FallbackEngine.joinNow(engine.afterPrimary(context, context, attempts, failure)));
        }
        engine.servedDirectly(context, value);
        return value;
    }

    @Override
    public <T> CompletionStage<T> interceptAsync(ExecutionContext context, AsyncSupplier<T> call, Chain next) {
        return engine.answer(context, context, new AsyncAttempts<>(call, next)).thenCompose(result -> {
            try {
                return CompletableFuture.completedFuture(this.<T>valueOf(result));
            } catch (Exception failure) {
                return CompletableFuture.failedFuture(failure);
            }
        });
    }

    /**
     * Runs {@code call} under this policy alone and says how it was answered, instead of throwing for a
     * queued, shed or failed call.
     *
     * @throws Exception an error or interruption of the call, which no strategy handles
     */
    public <T> FallbackResult<T> executeForResult(ExecutionContext context, ContextualSupplier<T> call) throws Exception {
        return cast(FallbackEngine.joinNow(engine.answer(context, context, syncAttempts(call, Chain.end()))));
    }

    /** Starts {@code call} under this policy alone; the stage says how it was answered. Never throws. */
    public <T> CompletionStage<FallbackResult<T>> executeForResultAsync(ExecutionContext context, AsyncSupplier<T> call) {
        return engine.answer(context, context, new AsyncAttempts<>(call, Chain.end())).thenApply(FallbackPolicy::cast);
    }

    @SuppressWarnings("unchecked")
    private static <T> FallbackResult<T> cast(FallbackResult<Object> result) {
        return (FallbackResult<T>) (FallbackResult<?>) result;
    }

    @SuppressWarnings("unchecked")
    private <T> T valueOf(FallbackResult<Object> result) throws Exception {
        return switch (result.outcome()) {
            case SERVED, RETRIED, SWITCHED, DEGRADED, CACHED -> (T) result.value();
            case QUEUED -> throw new QueuedException(name(), result.ticket().orElseThrow(), result.error());
            case SHED, FAILED -> throw Outcomes.rethrow(Objects.requireNonNull(result.error(), "error of " + result));
        };
    }

    private <T> SyncAttempts<T> syncAttempts(ContextualSupplier<T> call, Chain next) {
        return new SyncAttempts<>(call, next, behindBreaker(next));
    }

    /** The primary's chain: behind the circuit breaker, when there is one. */
    private Chain behindBreaker(Chain next) {
        CircuitBreaker guard = breaker;
        if (guard == null) {
            return next;
        }
        return new Chain() {
            @Override
            public <T> T proceed(ExecutionContext context, ContextualSupplier<T> call) throws Exception {
                return guard.intercept(context, call, next);
            }

            @Override
            public <T> CompletionStage<T> proceedAsync(ExecutionContext context, AsyncSupplier<T> call) {
                return guard.interceptAsync(context, call, next);
            }
        };
    }

    /** The attempts of one synchronous call: each runs on the caller's thread. */
    private final class SyncAttempts<T> implements FallbackEngine.Attempts<ExecutionContext, Object> {
        private final ContextualSupplier<T> call;
        private final Chain next;
        private final Chain primary;

        SyncAttempts(ContextualSupplier<T> call, Chain next, Chain primary) {
            this.call = Objects.requireNonNull(call, "call");
            this.next = next;
            this.primary = primary;
        }

        @Override
        public CompletionStage<Object> primary(ExecutionContext request, ExecutionContext context) {
            return FallbackEngine.now(() -> primary.proceed(request, call));
        }

        @Override
        public CompletionStage<Object> retried(ExecutionContext request, ExecutionContext context) {
            return FallbackEngine.now(() -> Objects.requireNonNull(retry).intercept(request, call, primary));
        }

        @Override
        public CompletionStage<Object> provider(String name, ExecutionContext request, ExecutionContext context) {
            return FallbackEngine.now(() -> next.proceed(request.withTag(PROVIDER_TAG, name), call));
        }
    }

    /** The attempts of one asynchronous call. */
    private final class AsyncAttempts<T> implements FallbackEngine.Attempts<ExecutionContext, Object> {
        private final AsyncSupplier<T> call;
        private final Chain next;
        private final Chain primary;

        AsyncAttempts(AsyncSupplier<T> call, Chain next) {
            this.call = Objects.requireNonNull(call, "call");
            this.next = next;
            this.primary = behindBreaker(next);
        }

        @Override
        public CompletionStage<Object> primary(ExecutionContext request, ExecutionContext context) {
            return widen(primary.proceedAsync(request, call));
        }

        @Override
        public CompletionStage<Object> retried(ExecutionContext request, ExecutionContext context) {
            return widen(Objects.requireNonNull(retry).interceptAsync(request, call, primary));
        }

        @Override
        public CompletionStage<Object> provider(String name, ExecutionContext request, ExecutionContext context) {
            return widen(next.proceedAsync(request.withTag(PROVIDER_TAG, name), call));
        }

        @SuppressWarnings("unchecked")
        private CompletionStage<Object> widen(CompletionStage<T> stage) {
            return (CompletionStage<Object>) (CompletionStage<?>) stage;
        }
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
        return FallbackPolicy.class;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "FallbackPolicy[" + name() + ", " + engine.order + "]";
    }

    /** Builds a {@link FallbackPolicy}. Not thread-safe. */
    public static final class Builder {
        private final FallbackIngredients<ExecutionContext> parts;
        private final List<String> providers = new ArrayList<>();
        private Clock clock = Clock.system();

        private Builder(String name) {
            this.parts = new FallbackIngredients<>("fallback policy", name);
        }

        /** The strategies, in the order to try them (default: the seed's order over the ingredients given). */
        public Builder strategies(FallbackStrategy... strategies) {
            parts.strategies(strategies);
            return this;
        }

        /**
         * The resource checked before the call, under the key {@code keyOfContext} gives, and before each
         * alternative provider, under the provider's name.
         */
        public Builder resource(ResourceMonitor monitor, ResourceType type, Function<ExecutionContext, String> keyOfContext) {
            parts.resource(monitor, type, keyOfContext);
            return this;
        }

        /** The retry policy of RETRY; it retries the primary (behind the circuit breaker, if any). */
        public Builder retry(Retry retry) {
            parts.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /**
         * Alternative providers for SWITCH_PROVIDER, tried in order: the call sees each as the
         * {@value FallbackPolicy#PROVIDER_TAG} tag.
         */
        public Builder providers(String... names) {
            for (String name : names) {
                String provider = Objects.requireNonNull(name, "provider name");
                if (provider.isBlank() || providers.contains(provider)) {
                    throw new dev.bulwark.ConfigException("fallback policy '" + parts.name + "'", "providers", provider,
                            "a non-blank name given once");
                }
                providers.add(provider);
            }
            return this;
        }

        /**
         * How DEGRADE_SERVICE degrades a call: the context it is called with again (e.g. with fewer tokens).
         * Like every function given to this builder, one that throws ends the call with its exception (thrown
         * as is, or failing the stage) instead of passing on to the next strategy.
         */
        public Builder degrade(UnaryOperator<ExecutionContext> degrader) {
            parts.degrader = Objects.requireNonNull(degrader, "degrader");
            return this;
        }

        /** Where QUEUE_REQUEST puts calls, as the item {@code itemOfContext} makes of each call's context. */
        public <P> Builder queue(DeferredQueue<P> queue, Function<ExecutionContext, P> itemOfContext) {
            parts.queue(queue, itemOfContext);
            return this;
        }

        /** The cache of USE_CACHE, keyed by {@code keyOfContext}; every full answer refreshes it. */
        public <K> Builder cache(ResultCache<K, ?> cache, Function<ExecutionContext, K> keyOfContext) {
            parts.cache(cache, keyOfContext);
            return this;
        }

        /** The circuit breaker the primary (and its retries) run behind; alternatives do not. */
        public Builder circuitBreaker(CircuitBreaker breaker) {
            parts.breaker = Objects.requireNonNull(breaker, "breaker");
            return this;
        }

        /** The load shedder that admits calls by their {@code priority} tag. */
        public Builder loadShedder(LoadShedder shedder) {
            parts.shedder = Objects.requireNonNull(shedder, "shedder");
            return this;
        }

        /** The clock of the contexts this policy starts when run on its own (default: the system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The policy.
         *
         * @throws dev.bulwark.ConfigException if a strategy lacks its ingredient or appears twice, or there is none
         */
        public FallbackPolicy build() {
            return new FallbackPolicy(this);
        }
    }
}
