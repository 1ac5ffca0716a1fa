package dev.bulwark.fanout;

import dev.bulwark.ConfigException;
import dev.bulwark.ExecutionContext;
import dev.bulwark.Policy;
import dev.bulwark.TimedBuilder;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import dev.bulwark.internal.Checks;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
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
 * FanOutResult<List<Doc>> result = search.execute("pricing", FanOut.RequestOptions.defaults().strategy(FanOut.Strategy.ALL));
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
public interface FanOut<Q, R> extends Component, EventSource<FanOut.Event> {

    /** The key under which each adapter's context carries the adapter's name. */
    ExecutionContext.Key<String> ADAPTER = ExecutionContext.Key.of("adapter", String.class);

    /** A builder for a fan-out called {@code name}, with the defaults. */
    static <Q, R> Builder<Q, R> builder(String name) {
        return new Builder<>(name);
    }

    /**
     * A fan-out with {@code config}'s settings over {@code adapters}, each behind no policy of its own.
     *
     * @throws ConfigException if there is no adapter
     * @throws IllegalArgumentException if two adapters have the same name
     */
    static <Q, R> FanOut<Q, R> of(Config config, List<? extends Adapter<Q, R>> adapters) {
        Builder<Q, R> builder = config.toBuilder();
        adapters.forEach(builder::adapter);
        return builder.build();
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
        } catch (ExecutionException failure) {
            throw new IllegalStateException("fan-out '" + name() + "' failed", failure.getCause());
        } catch (InterruptedException interrupted) {
            stage.toCompletableFuture().cancel(true);
            throw interrupted;
        }
    }

    /** This fan-out's settings. */
    Config config();

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

    /** How a fan-out decides a request is done (default ALL). */
    enum Strategy {
        /**
         * Waits for every adapter or the deadline, whichever comes first, and combines the successes. Adapters
         * still running at the deadline are cancelled and reported as timed out.
         */
        ALL,
        /** Returns the first success and cancels the other adapters. */
        FIRST_SUCCESS,
        /**
         * Returns whatever has finished by the deadline (or as soon as every adapter has), without waiting for
         * slower adapters: those are cancelled without counting against them and reported as skipped.
         */
        BEST_EFFORT
    }

    /**
     * Per-request choices: the strategy, which adapters to ask, the values every adapter's context carries (a
     * request id, ...), and the time allowed. Unset values fall back to the fan-out's settings. Immutable.
     *
     * @param strategy the strategy, or null for the fan-out's
     * @param adapters the adapters to ask, or empty for all of them
     * @param values a context whose values (see {@link ExecutionContext#get}) every adapter's context carries; only
     *               its values matter (default: none)
     * @param timeout the time allowed, positive, or null for the fan-out's
     */
    record RequestOptions(@Nullable Strategy strategy, List<String> adapters, ExecutionContext values,
                          @Nullable Duration timeout) {

        private static final RequestOptions DEFAULTS = new RequestOptions(null, List.of(), ExecutionContext.detached(), null);

        /** Copies the list. @throws ConfigException if the timeout is not positive */
        public RequestOptions {
            adapters = List.copyOf(adapters);
            Objects.requireNonNull(values, "values");
            if (timeout != null) {
                Checks.positive("fan-out request", "timeout", timeout);
            }
        }

        /** Every default. */
        public static RequestOptions defaults() {
            return DEFAULTS;
        }

        /** These options with another strategy. */
        public RequestOptions strategy(Strategy strategy) {
            return new RequestOptions(Objects.requireNonNull(strategy, "strategy"), adapters, values, timeout);
        }

        /** These options asking only the named adapters. */
        public RequestOptions adapters(List<String> adapters) {
            return new RequestOptions(strategy, adapters, values, timeout);
        }

        /** These options with {@code value} under {@code key} in every adapter's context. */
        public <T> RequestOptions with(ExecutionContext.Key<T> key, T value) {
            return new RequestOptions(strategy, adapters, values.with(key, value), timeout);
        }

        /** These options with another time allowance. */
        public RequestOptions timeout(Duration timeout) {
            return new RequestOptions(strategy, adapters, values, Objects.requireNonNull(timeout, "timeout"));
        }
    }

    /**
     * The immutable settings of a fan-out (its adapters and their policies are given to the {@link Builder}).
     *
     * @param name the fan-out's name, non-blank
     * @param strategy how a request decides it is done (default ALL)
     * @param timeout the default time a request may take, positive (default 30 s)
     * @param maxConcurrentAdapters adapter calls allowed at once across all requests, in [1, 10000] (default 10)
     * @param shutdownTimeout how long shutdown waits for in-flight calls before cancelling them, positive (default 30 s)
     * @param initializationShare the share of an adapter's time its initialisation may use, in [0.0, 1.0] (default 0.3)
     * @param executor where blocking adapters run, or null for a cached pool of daemon threads the fan-out owns
     * @param clock the time source (default {@link Clock#system()})
     * @param scheduler what runs deadlines and the shutdown grace (default {@link Scheduler#system()})
     */
    record Config(String name, Strategy strategy, Duration timeout, int maxConcurrentAdapters, Duration shutdownTimeout,
                  double initializationShare, @Nullable Executor executor, Clock clock, Scheduler scheduler) {

        /** Validates every field. @throws ConfigException naming the field, value and range */
        public Config {
            String who = "fan-out '" + Checks.name("fan-out", name) + "'";
            Objects.requireNonNull(strategy, "strategy");
            Checks.positive(who, "timeout", timeout);
            Checks.between(who, "maxConcurrentAdapters", maxConcurrentAdapters, 1, 10_000);
            Checks.positive(who, "shutdownTimeout", shutdownTimeout);
            Checks.between(who, "initializationShare", initializationShare, 0.0, 1.0);
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(scheduler, "scheduler");
        }

        /** A builder for a fan-out starting from this config's values, none of them given yet, so each may be overridden once. */
        public <Q, R> Builder<Q, R> toBuilder() {
            Builder<Q, R> builder = new Builder<>(this);
            builder.strategy = strategy;
            builder.timeout = timeout;
            builder.maxConcurrentAdapters = maxConcurrentAdapters;
            builder.shutdownTimeout = shutdownTimeout;
            builder.initializationShare = initializationShare;
            builder.executor = executor;
            return builder;
        }
    }

    /**
     * Builds a {@link Config} or a {@link FanOut}. Each setting but {@code adapter} may be given once; a second call
     * fails naming it. Not thread-safe.
     */
    final class Builder<Q, R> extends TimedBuilder<Builder<Q, R>> {
        private final String name;
        private final Map<String, Adapter<Q, R>> adapters = new LinkedHashMap<>();
        private final Map<String, List<Policy>> policies = new LinkedHashMap<>();
        private @Nullable Function<String, List<Policy>> defaultPolicies;
        private Strategy strategy = Strategy.ALL;
        private Duration timeout = Duration.ofSeconds(30);
        private int maxConcurrentAdapters = 10;
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private double initializationShare = 0.3;
        private @Nullable Executor executor;

        private Builder(String name) {
            this.name = name;
        }

        private Builder(Config config) {
            this(config.name());
            startFrom(config.clock(), config.scheduler());
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

        /** The settings, without the adapters. @throws ConfigException for an invalid setting */
        public Config buildConfig() {
            return new Config(name, strategy, timeout, maxConcurrentAdapters, shutdownTimeout, initializationShare,
                    executor, configuredClock(), configuredScheduler());
        }

        /** The fan-out. @throws ConfigException for an invalid setting or when no adapter was added */
        public FanOut<Q, R> build() {
            Config config = buildConfig();
            if (adapters.isEmpty()) {
                throw new ConfigException(component(), "adapters", "none", "at least one adapter");
            }
            return new DefaultFanOut<>(config, new ArrayList<>(adapters.values()), Map.copyOf(policies), defaultPolicies);
        }
    }

    /** What a fan-out reports to its listeners: one record per kind of event, so a {@code switch} covers them all. */
    sealed interface Event {

        /** The fan-out's name. */
        String name();

        /** A request finished: how many adapters succeeded out of how many, and how long it took. */
        record RequestCompleted(String name, Strategy strategy, int succeeded, int adapters, long durationNanos)
                implements Event {
        }

        /** An adapter was not called because its circuit was open. */
        record AdapterRejected(String name, String adapter) implements Event {
        }

        /** The fan-out shut down; {@code cancelled} in-flight adapter calls had to be cancelled. */
        record ShutDown(String name, int cancelled) implements Event {
        }
    }
}
