package dev.bulwark.fanout;

import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.TimedBuilder;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import dev.bulwark.ExecutionContext;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Runs one request over several adapters in parallel, each behind its own policies (circuit breaker,
 * timeout, retry, bulkhead...), and combines what they return according to a {@link Strategy}.
 *
 * <pre>{@code
 * FanOut<String, List<Doc>> search = FanOut.<String, List<Doc>>builder("search")
 *         .adapter(Adapter.async("sql", sql::query), CircuitBreaker.ofDefaults("sql"), sqlTimeout)
 *         .adapter(Adapter.blocking("vector", vector::nearest), CircuitBreaker.ofDefaults("vector"))
 *         .timeout(Duration.ofSeconds(30)).maxConcurrentAdapters(10)
 *         .build();
 * FanOutResult<List<Doc>> result = search.execute("pricing", RequestOptions.defaults().strategy(Strategy.ALL));
 * }</pre>
 *
 * <p>Adapters whose circuit is open are not called: their result says so at once. A global limit bounds
 * how many adapter calls run at once across all requests. Results never throw for adapter failures: a
 * request where every adapter failed returns an empty result with the errors (graceful degradation).
 * {@link #shutdown()} stops accepting requests, lets in-flight ones finish for up to the shutdown timeout,
 * then cancels the rest. This interface's implementation is thread-safe.
 *
 * @param <Q> the request type
 * @param <R> the adapters' result type
 */
public interface FanOut<Q, R> extends Component, EventSource<FanOutEvent> {

    /** The key under which each adapter's context carries the adapter's name. */
    ExecutionContext.Key<String> ADAPTER = ExecutionContext.Key.of("adapter", String.class);

    /** A builder for a fan-out called {@code name}. */
    static <Q, R> Builder<Q, R> builder(String name) {
        return new Builder<>(name);
    }

    /** Runs the request with the fan-out's defaults. */
    default CompletionStage<FanOutResult<R>> executeAsync(Q request) {
        return executeAsync(request, RequestOptions.defaults());
    }

    /**
     * Runs the request.
     *
     * @throws IllegalArgumentException naming the known adapters if an unknown one is asked for
     */
    CompletionStage<FanOutResult<R>> executeAsync(Q request, RequestOptions options);

    /** Runs the request and waits for its result. */
    default FanOutResult<R> execute(Q request, RequestOptions options) throws InterruptedException {
        CompletionStage<FanOutResult<R>> stage = executeAsync(request, options);
        try {
            return stage.toCompletableFuture().get();
        } catch (java.util.concurrent.ExecutionException failure) {
            throw new IllegalStateException("fan-out '" + name() + "' failed", failure.getCause());
        } catch (InterruptedException interrupted) {
            stage.toCompletableFuture().cancel(true);
            throw interrupted;
        }
    }

    /** The adapters' names, in the order they were added. */
    List<String> adapters();

    /** Adapter calls running now, across all requests. */
    int inFlight();

    /**
     * Stops accepting requests, waits up to the shutdown timeout for in-flight adapter calls, then cancels the
     * rest. The stage completes, once nothing is left running, with the number of calls that had to be cancelled.
     */
    CompletionStage<Integer> shutdown();

    /** True once {@link #shutdown()} has been called. */
    boolean isShutdown();

    @Override
    default Class<? extends Component> kind() {
        return FanOut.class;
    }

    /** Builds a {@link FanOut}. Each setting but {@code adapter} may be given once; a second call fails naming it. Not thread-safe. */
    final class Builder<Q, R> extends TimedBuilder<Builder<Q, R>> {
        final String name;
        final Map<String, Adapter<Q, R>> adapters = new LinkedHashMap<>();
        final Map<String, List<Policy>> policies = new LinkedHashMap<>();
        @Nullable Function<String, List<Policy>> defaultPolicies;
        Strategy strategy = Strategy.ALL;
        Duration timeout = Duration.ofSeconds(30);
        int maxConcurrentAdapters = 10;
        Duration shutdownTimeout = Duration.ofSeconds(30);
        double initializationShare = 0.3;
        @Nullable Executor executor;

        private Builder(String name) {
            this.name = name;
        }

        @Override
        protected String component() {
            return "fan-out '" + name + "'";
        }

        /**
         * Adds an adapter behind {@code adapterPolicies} (outermost first); with none given, the default
         * policies apply. Giving policies is how one adapter overrides the global settings.
         *
         * @throws IllegalArgumentException if an adapter of that name was added already
         */
        public Builder<Q, R> adapter(Adapter<Q, R> adapter, Policy... adapterPolicies) {
            Objects.requireNonNull(adapter, "adapter");
            if (adapters.putIfAbsent(adapter.name(), adapter) != null) {
                throw new IllegalArgumentException("fan-out '" + name + "': adapter '" + adapter.name() + "' is added twice");
            }
            if (adapterPolicies.length > 0) {
                policies.put(adapter.name(), List.of(adapterPolicies));
            }
            return this;
        }

        /** The policies of adapters added without their own, made per adapter name (default: none). */
        public Builder<Q, R> defaultPolicies(Function<String, List<Policy>> factory) {
            given("defaultPolicies");
            this.defaultPolicies = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** How a request decides it is done (default ALL). */
        public Builder<Q, R> strategy(Strategy strategy) {
            given("strategy");
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /** The default time a request may take (default 30 s). */
        public Builder<Q, R> timeout(Duration timeout) {
            given("timeout");
            this.timeout = timeout;
            return this;
        }

        /** Adapter calls allowed at once across all requests (default 10). */
        public Builder<Q, R> maxConcurrentAdapters(int limit) {
            given("maxConcurrentAdapters");
            this.maxConcurrentAdapters = limit;
            return this;
        }

        /** How long shutdown waits for in-flight calls before cancelling them (default 30 s). */
        public Builder<Q, R> shutdownTimeout(Duration timeout) {
            given("shutdownTimeout");
            this.shutdownTimeout = timeout;
            return this;
        }

        /** The share of an adapter's time its initialisation may use (default 0.3). */
        public Builder<Q, R> initializationShare(double share) {
            given("initializationShare");
            this.initializationShare = share;
            return this;
        }

        /** Where blocking adapters run (default: a cached pool of daemon threads owned by the fan-out). */
        public Builder<Q, R> executor(Executor executor) {
            given("executor");
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The fan-out. @throws dev.bulwark.ConfigException for an invalid setting */
        public FanOut<Q, R> build() {
            String who = "fan-out '" + Checks.name("fan-out", name) + "'";
            Checks.positive(who, "timeout", timeout);
            Checks.between(who, "maxConcurrentAdapters", maxConcurrentAdapters, 1, 10_000);
            Checks.positive(who, "shutdownTimeout", shutdownTimeout);
            Checks.between(who, "initializationShare", initializationShare, 0.0, 1.0);
            if (adapters.isEmpty()) {
                throw new dev.bulwark.ConfigException(who, "adapters", "none", "at least one adapter");
            }
            return new DefaultFanOut<>(this, new ArrayList<>(adapters.values()));
        }
    }
}
