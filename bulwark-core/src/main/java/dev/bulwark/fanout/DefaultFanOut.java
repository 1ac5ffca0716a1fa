package dev.bulwark.fanout;

import dev.bulwark.BulwarkException;
import dev.bulwark.ContextPropagator;
import dev.bulwark.ExecutionContext;
import dev.bulwark.Pipeline;
import dev.bulwark.Policy;
import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.internal.Futures;
import dev.bulwark.internal.PermitGate;
import dev.bulwark.internal.PolicySupport;
import dev.bulwark.internal.StripedCounter;
import dev.bulwark.internal.TimeBudget;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The fan-out: adapters with their pipelines, the global limit, and shutdown. One {@link RequestRun} per request. */
final class DefaultFanOut<Q, R> extends PolicySupport<FanOut.Event> implements FanOut<Q, R> {
    /** Non-blocking adapters run on the caller's or the adapter's own threads: nothing to carry. */
    private static final ContextPropagator.Snapshot NO_HOP = () -> () -> { };

    /**
     * One adapter with everything needed to call it: its name, also as a context holding only the name (merged into
     * each request's context without copying), and the global limit as a gate when that limit is its whole pipeline.
     */
    record Route<Q, R>(Adapter<Q, R> adapter, String name, ExecutionContext nameInContext, Pipeline pipeline,
                       @Nullable CircuitBreaker breaker, @Nullable PermitGate limitOnly) {
    }

    private final List<Route<Q, R>> routes = new ArrayList<>();
    private final FanOut.Config config;
    private final Executor executor;
    private final @Nullable ExecutorService ownedExecutor;
    private final Set<Tracked> running = ConcurrentHashMap.newKeySet();
    /**
     * Requests admitted and not yet answered: shutdown waits for them too, even before their adapters start. Striped,
     * because every request writes it twice; summed only once shutdown has begun (a request counts itself before it
     * re-reads the shutdown flag, and one that finds it set uncounts itself on its own thread, so the sum shutdown
     * takes never misses a request still in).
     */
    private final StripedCounter requests = new StripedCounter();
    private final AtomicBoolean shutdown = new AtomicBoolean();
    private final AtomicBoolean forcing = new AtomicBoolean();
    private final CompletableFuture<Integer> terminated = new CompletableFuture<>();

    DefaultFanOut(FanOut.Config config, List<Adapter<Q, R>> adapters, Map<String, List<Policy>> policies,
                  @Nullable Function<String, List<Policy>> defaultPolicies) {
        super("fan-out", config.name(), config.clock());
        this.config = config;
        Executor given = config.executor();
        if (given != null) {
            this.executor = given;
            this.ownedExecutor = null;
        } else {
            this.ownedExecutor = Futures.daemonPool("bulwark-fanout-" + config.name());
            this.executor = ownedExecutor;
        }
        // the global limit is the outermost policy of every adapter: one shared bulkhead
        Bulkhead limit = Bulkhead.builder(config.name() + "-adapters", config.maxConcurrentAdapters())
                .maxWait(config.timeout()).scheduler(config.scheduler()).build();
        for (Adapter<Q, R> adapter : adapters) {
            List<Policy> own = policies.get(adapter.name());
            if (own == null && defaultPolicies != null) {
                own = defaultPolicies.apply(adapter.name());
            }
            List<Policy> chain = new ArrayList<>();
            chain.add(limit);
            if (own != null) {
                chain.addAll(own);
            }
            CircuitBreaker breaker = chain.stream().filter(CircuitBreaker.class::isInstance)
                    .map(CircuitBreaker.class::cast).findFirst().orElse(null);
            Pipeline pipeline = Pipeline.builder().add(chain.toArray(Policy[]::new)).clock(config.clock()).build();
            // an adapter with no policy of its own takes a free permit of the limit and is called directly
            PermitGate limitOnly = chain.size() == 1 && limit instanceof PermitGate gate ? gate : null;
            String name = adapter.name();
            routes.add(new Route<>(adapter, name, ExecutionContext.detached().with(FanOut.ADAPTER, name), pipeline,
                    breaker, limitOnly));
        }
    }

    @Override
    public CompletionStage<FanOutResult<R>> executeAsync(Q request, FanOut.RequestOptions options) {
        if (shutdown.get()) {
            return CompletableFuture.failedFuture(new BulwarkException(name(), "fan-out '" + name()
                    + "' is shut down and accepts no requests", null));
        }
        List<Route<Q, R>> chosen = choose(options.adapters());
        Duration timeout = options.timeout() != null ? options.timeout() : config.timeout();
        FanOut.Strategy strategy = options.strategy() != null ? options.strategy() : config.strategy();
        ExecutionContext context = ExecutionContext.start(clock()).withValuesOf(options.values());
        if (strategy != FanOut.Strategy.BEST_EFFORT) {
            // BEST_EFFORT abandons slow adapters at the deadline without holding it against them; with the deadline
            // in their context, their own timeouts would fire at that same instant and count as failures
            context = context.withDeadline(context.startNanos() + timeout.toNanos());
        }
        RequestRun<Q, R> run = new RequestRun<>(this, strategy, chosen, request, context);
        CompletableFuture<FanOutResult<R>> result = run;
        requests.increment();
        if (shutdown.get()) { // shut down since the check above: shutdown may not have seen this request
            requests.decrement();
            finishShutdownIfIdle();
            return CompletableFuture.failedFuture(new BulwarkException(name(), "fan-out '" + name()
                    + "' is shut down and accepts no requests", null));
        }
        run.start(timeout); // the run tells requestEnded() when it is done
        return result;
    }

    /** A request admitted by {@link #executeAsync} is done. */
    void requestEnded() {
        requests.decrement();
        finishShutdownIfIdle();
    }

    private List<Route<Q, R>> choose(List<String> names) {
        if (names.isEmpty()) {
            return routes;
        }
        List<Route<Q, R>> chosen = new ArrayList<>();
        for (String name : names) {
            Route<Q, R> route = routes.stream().filter(r -> r.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("fan-out '" + name() + "' has no adapter '" + name
                            + "'; known adapters: " + adapters()));
            chosen.add(route);
        }
        return chosen;
    }

    /** Calls one adapter: its initialisation within its share of the time left, then the call itself. */
    CompletionStage<R> invoke(Adapter<Q, R> adapter, Q request, ExecutionContext context) {
        ContextPropagator.Snapshot callers = adapter instanceof BlockingAdapter ? ContextPropagator.snapshot() : NO_HOP;
        if (!adapter.hasInitialization()) {
            return call(adapter, request, context, callers);
        }
        long now = clock().nanoTime();
        TimeBudget budget = TimeBudget.split(Duration.ofNanos(Math.max(0, context.remainingNanos(now))), config.initializationShare());
        CompletableFuture<Void> initialized = adapter.initialize(context.withDeadline(now + budget.initialization().toNanos()))
                .toCompletableFuture();
        Scheduler.Cancellable alarm = config.scheduler().schedule(budget.initialization(), () -> {
            if (initialized.completeExceptionally(new TimeoutException("adapter '" + adapter.name()
                    + "' initialisation exceeded its " + budget.initialization().toMillis() + " ms share"))) {
                initialized.cancel(true);
            }
        });
        return initialized.whenComplete((done, error) -> alarm.cancel())
                .thenCompose(done -> call(adapter, request, context, callers));
    }

    /**
     * Calls an adapter outside any pipeline (its caller holds a permit of the limit): as the pipeline would, a call
     * that throws while starting, or returns no stage, is a failed call.
     */
    CompletableFuture<R> callDirectly(Adapter<Q, R> adapter, Q request, ExecutionContext context) {
        try {
            CompletionStage<R> stage = invoke(adapter, request, context);
            return stage != null ? stage.toCompletableFuture()
                    : CompletableFuture.failedFuture(new NullPointerException("the async call returned null instead of a stage"));
        } catch (Throwable failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }

    private CompletionStage<R> call(Adapter<Q, R> adapter, Q request, ExecutionContext context,
                                    ContextPropagator.Snapshot callers) {
        if (adapter instanceof BlockingAdapter<Q, R> blocking) {
            return Futures.onExecutor(executor, () -> {
                try (ContextPropagator.Scope restored = callers.restore()) {
                    return blocking.call().call(request, context);
                }
            });
        }
        return adapter.execute(request, context);
    }

    Scheduler scheduler() {
        return config.scheduler();
    }

    @Override
    public FanOut.Config config() {
        return config;
    }

    boolean listened() {
        return hasListeners();
    }

    void published(FanOut.Event event) {
        publish(event);
    }

    /** An adapter call running now, as shutdown sees it: one per call, even when two calls share one stage. */
    interface Tracked {
        /** Cancels the call (interrupting a blocking one). */
        void cancel();
    }

    /** Tracks a running adapter call so shutdown can wait for it or cancel it; {@link #untrack} once it ends. */
    void track(Tracked call) {
        running.add(call);
        if (forcing.get()) {
            call.cancel(); // started after shutdown's grace ended
        }
    }

    /** A tracked call ended. */
    void untrack(Tracked call) {
        running.remove(call);
        finishShutdownIfIdle();
    }

    private void finishShutdownIfIdle() {
        if (shutdown.get() && running.isEmpty() && requests.sum() == 0 && !forcing.get()) {
            finishShutdown(0);
        }
    }

    @Override
    public List<String> adapters() {
        return routes.stream().map(Route::name).toList();
    }

    @Override
    public int inFlight() {
        return running.size();
    }

    @Override
    public CompletionStage<Integer> shutdown() {
        if (shutdown.compareAndSet(false, true)) {
            if (running.isEmpty() && requests.sum() == 0) {
                finishShutdown(0);
            } else {
                Scheduler.Cancellable force = config.scheduler().schedule(config.shutdownTimeout(), () -> {
                    forcing.set(true);
                    List<Tracked> left = new ArrayList<>(running);
                    left.forEach(Tracked::cancel);
                    finishShutdown(left.size());
                });
                terminated.whenComplete((count, error) -> force.cancel());
            }
        }
        return terminated;
    }

    private void finishShutdown(int cancelled) {
        if (terminated.complete(cancelled)) {
            if (ownedExecutor != null) {
                ownedExecutor.shutdownNow();
            }
            publish(new FanOut.Event.ShutDown(name(), cancelled));
        }
    }

    @Override
    public boolean isShutdown() {
        return shutdown.get();
    }

    @Override
    public String toString() {
        return "FanOut[" + name() + ", adapters=" + adapters() + "]";
    }
}
