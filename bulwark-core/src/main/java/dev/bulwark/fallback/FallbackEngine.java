package dev.bulwark.fallback;

import dev.bulwark.CheckedSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.event.EventListener;
import dev.bulwark.event.Subscription;
import dev.bulwark.internal.Listeners;
import dev.bulwark.internal.Outcomes;
import dev.bulwark.resource.ResourceMonitor;
import dev.bulwark.resource.ResourceType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The strategy loop shared by {@link FallbackChain} (typed requests) and {@link FallbackPolicy} (opaque calls,
 * whose "request" is their context). Written once over completion stages: a synchronous caller hands in
 * attempts that complete before they return, so the whole loop runs on its thread.
 *
 * @param <Q> what a request is: the caller's type, or the execution context
 * @param <R> the answer type
 */
final class FallbackEngine<Q, R> {

    /** How one execution reaches its providers. Implementations never throw: failures complete the stage. */
    interface Attempts<Q, R> {
        /** The primary provider, behind the circuit breaker if there is one. */
        CompletionStage<R> primary(Q request, ExecutionContext context);

        /** The primary under the retry policy. */
        CompletionStage<R> retried(Q request, ExecutionContext context);

        /** The alternative provider called {@code name}. */
        CompletionStage<R> provider(String name, Q request, ExecutionContext context);
    }

    /** The trail's last entry per outcome, in {@link FallbackResult.Outcome} order. */
    private static final String[] LABELS = java.util.Arrays.stream(FallbackResult.Outcome.values())
            .map(outcome -> outcome.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);

    final String name;
    final List<FallbackStrategy> order;
    final List<String> providers;
    private final @Nullable ResourceMonitor monitor;
    private final @Nullable ResourceType resource;
    private final @Nullable Function<Q, String> resourceKey;
    private final @Nullable UnaryOperator<Q> degrader;
    private final @Nullable ToLongFunction<Q> enqueue;
    private final @Nullable ResultCache<Object, R> cache;
    private final @Nullable Function<Q, ?> cacheKey;
    private final @Nullable LoadShedder shedder;
    private final Map<FallbackResult.Outcome, LongAdder> counts = new EnumMap<>(FallbackResult.Outcome.class);
    private final Listeners<FallbackEvent> listeners;

    @SuppressWarnings("unchecked")
    FallbackEngine(FallbackIngredients<Q> parts, List<FallbackStrategy> order, List<String> providers) {
        this.name = parts.name;
        this.order = List.copyOf(order);
        this.providers = List.copyOf(providers);
        this.monitor = parts.monitor;
        this.resource = parts.resource;
        this.resourceKey = parts.resourceKey;
        this.degrader = parts.degrader;
        this.enqueue = parts.enqueue;
        this.cache = (ResultCache<Object, R>) parts.cache;
        this.cacheKey = parts.cacheKey;
        this.shedder = parts.shedder;
        this.listeners = new Listeners<>("fallback '" + name + "'");
        for (FallbackResult.Outcome outcome : FallbackResult.Outcome.values()) {
            counts.put(outcome, new LongAdder());
        }
    }

    /**
     * Answers {@code request}; the stage fails only on an error or a cancellation, which no strategy handles, or
     * with the exception of a user function (resource key, degrader, queue item, cache key) that threw. Never throws.
     */
    CompletableFuture<FallbackResult<R>> answer(Q request, ExecutionContext context, Attempts<Q, R> attempts) {
        try {
            return new Run(request, context, attempts, true).start();
        } catch (Throwable userFunctionFailure) {
            return CompletableFuture.failedFuture(userFunctionFailure);
        }
    }

    /**
     * True when a call can go straight to the primary: no load shedder to admit it, no resource to check.
     * The caller then runs the primary itself and reports with {@link #servedDirectly} or {@link #afterPrimary}.
     */
    boolean direct() {
        return shedder == null && monitor == null;
    }

    /** Records an answer the primary gave to a {@link #direct()} call. */
    void servedDirectly(Q request, @Nullable R value) {
        remember(request, value);
        counts.get(FallbackResult.Outcome.SERVED).increment();
        if (!listeners.isEmpty()) {
            listeners.publish(new FallbackEvent(name, FallbackResult.Outcome.SERVED, List.of(LABELS[0])));
        }
    }

    /**
     * Goes on with the strategies after the primary of a {@link #direct()} call failed with {@code failure}
     * (not an error or cancellation). The trail is kept only if someone listens.
     */
    CompletableFuture<FallbackResult<R>> afterPrimary(Q request, ExecutionContext context, Attempts<Q, R> attempts,
                                                      Throwable failure) {
        try {
            return new Run(request, context, attempts, !listeners.isEmpty()).resume(failure);
        } catch (Throwable userFunctionFailure) {
            return CompletableFuture.failedFuture(userFunctionFailure);
        }
    }

    long count(FallbackResult.Outcome outcome) {
        return counts.get(outcome).sum();
    }

    Subscription subscribe(EventListener<? super FallbackEvent> listener) {
        return listeners.add(listener);
    }

    long listenerFailures() {
        return listeners.failures();
    }

    /** Keeps a full answer as the last good one for the request's key, when there is a cache. */
    private void remember(Q request, @Nullable R value) {
        if (cache != null && value != null) {
            cache.put(Objects.requireNonNull(cacheKey).apply(request), value);
        }
    }

    /** Whether the resource of {@code key} can be used now; always true without a monitor. */
    private boolean usable(String key) {
        return monitor == null || monitor.canUse(Objects.requireNonNull(resource), key);
    }

    /** A stage already completed by running {@code call} on this thread. */
    static <R> CompletionStage<R> now(CheckedSupplier<R> call) {
        try {
            return CompletableFuture.completedFuture(call.get());
        } catch (Throwable failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }

    /**
     * The result of an execution whose attempts all ran on this thread; rethrows the error or cancellation
     * that ended it.
     */
    static <R> FallbackResult<R> joinNow(CompletableFuture<FallbackResult<R>> execution) throws Exception {
        if (!execution.isDone()) {
            throw new IllegalStateException("a synchronous fallback execution did not complete on its thread");
        }
        try {
            return execution.join();
        } catch (java.util.concurrent.CompletionException failure) {
            throw Outcomes.rethrow(Outcomes.unwrap(failure));
        }
    }

    /** Errors and cancellations end an execution at once: no fallback answers for a caller who gave up. */
    static boolean fatal(Throwable error) {
        return error instanceof Error || Outcomes.isCancellation(error);
    }

    static String describe(Throwable error) {
        return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : " " + error.getMessage());
    }

    /** One execution: its trail and its last failure, touched by one stage at a time. */
    private final class Run {
        private final Q request;
        private final ExecutionContext context;
        private final Attempts<Q, R> attempts;
        private final Priority priority;
        private final List<String> trail;
        private @Nullable Throwable failure;
        private boolean constrained;

        Run(Q request, ExecutionContext context, Attempts<Q, R> attempts, boolean keepTrail) {
            this.request = request;
            this.context = context;
            this.attempts = attempts;
            this.priority = shedder == null ? Priority.NORMAL : Priority.of(context);
            this.trail = keepTrail ? new ArrayList<>() : Trail.DISCARDED;
        }

        CompletableFuture<FallbackResult<R>> resume(Throwable primaryFailure) {
            failure = primaryFailure;
            note("primary", primaryFailure);
            return strategy(0);
        }

        private void note(String label, Throwable error) {
            if (trail != Trail.DISCARDED) {
                trail.add(label + ": " + describe(error));
            }
        }

        CompletableFuture<FallbackResult<R>> start() {
            if (shedder == null) {
                return first();
            }
            String refusal = shedder.refusal(priority);
            if (refusal != null) {
                trail.add("shed at admission");
                return done(FallbackResult.Outcome.SHED, null, OptionalLong.empty(),
                        new LoadShedException(shedder.name(), priority, refusal));
            }
            CompletableFuture<FallbackResult<R>> result;
            try {
                result = first();
            } catch (RuntimeException | Error unexpected) {
                shedder.release();
                throw unexpected;
            }
            result.whenComplete((answer, error) -> shedder.release());
            return result;
        }

        private CompletableFuture<FallbackResult<R>> first() {
            if (monitor != null) {
                String key = Objects.requireNonNull(resourceKey).apply(request);
                if (!usable(key)) {
                    constrained = true;
                    String status = monitor.check(Objects.requireNonNull(resource), key).status().name();
                    trail.add("resource " + resource + "/" + key + " constrained");
                    failure = new ResourceUnavailableException(name, resource, key, status);
                    return strategy(0);
                }
            }
            return attempt(attempts.primary(request, context), FallbackResult.Outcome.SERVED, "primary", null,
                    () -> strategy(0));
        }

        /**
         * Waits for {@code call}: an answer ends the execution as {@code outcome} (after noting {@code onSuccess});
         * a failure is noted under {@code label} and execution goes on with {@code orElse}.
         */
        private CompletableFuture<FallbackResult<R>> attempt(CompletionStage<R> call, FallbackResult.Outcome outcome,
                                                              String label, @Nullable String onSuccess,
                                                              Supplier<CompletableFuture<FallbackResult<R>>> orElse) {
            return call.handle((value, error) -> {
                if (error == null) {
                    if (onSuccess != null) {
                        trail.add(onSuccess);
                    }
                    return served(outcome, value);
                }
                Throwable cause = Outcomes.unwrap(error);
                if (fatal(cause)) {
                    return CompletableFuture.<FallbackResult<R>>failedFuture(cause);
                }
                failure = cause;
                note(label, cause);
                return orElse.get();
            }).thenCompose(Function.identity()).toCompletableFuture();
        }

        private CompletableFuture<FallbackResult<R>> strategy(int index) {
            if (index == order.size()) {
                trail.add("no strategy answered");
                return done(FallbackResult.Outcome.FAILED, null, OptionalLong.empty(), failure);
            }
            FallbackStrategy strategy = order.get(index);
            Supplier<CompletableFuture<FallbackResult<R>>> next = () -> strategy(index + 1);
            switch (strategy) {
                case RETRY -> {
                    if (constrained) {
                        trail.add("RETRY skipped: resource constrained");
                        return next.get();
                    }
                    return attempt(attempts.retried(request, context), FallbackResult.Outcome.RETRIED, "RETRY", null, next);
                }
                case SWITCH_PROVIDER -> {
                    return provider(0, next);
                }
                case DEGRADE_SERVICE -> {
                    // the degrader's own exception ends the execution (it is the caller's bug, not the provider's)
                    Q degraded = Objects.requireNonNull(degrader).apply(request);
                    if (degraded == null) {
                        return noted("DEGRADE_SERVICE", new NullPointerException("degraded request"), next);
                    }
                    return attempt(attempts.primary(degraded, context), FallbackResult.Outcome.DEGRADED, "DEGRADE_SERVICE",
                            null, next);
                }
                case QUEUE_REQUEST -> {
                    long ticket;
                    try {
                        ticket = Objects.requireNonNull(enqueue).applyAsLong(request);
                    } catch (FallbackIngredients.ItemFunctionFailure error) {
                        return CompletableFuture.failedFuture(error.getCause());
                    } catch (RuntimeException refused) {
                        return noted("QUEUE_REQUEST", refused, next);
                    }
                    if (trail != Trail.DISCARDED) {
                        trail.add("queued as " + ticket);
                    }
                    return done(FallbackResult.Outcome.QUEUED, null, OptionalLong.of(ticket), failure);
                }
                case USE_CACHE -> {
                    R cached = Objects.requireNonNull(cache).usable(Objects.requireNonNull(cacheKey).apply(request)).orElse(null);
                    if (cached == null) {
                        trail.add("cache: nothing usable");
                        return next.get();
                    }
                    trail.add("cache");
                    return done(FallbackResult.Outcome.CACHED, cached, OptionalLong.empty(), null);
                }
                case CIRCUIT_BREAK -> {
                    trail.add("circuit break: failing fast");
                    return done(FallbackResult.Outcome.FAILED, null, OptionalLong.empty(), failure);
                }
                case LOAD_SHED -> {
                    trail.add("shed");
                    String why = failure == null ? "fallback chain ended in LOAD_SHED" : "after " + describe(failure);
                    return done(FallbackResult.Outcome.SHED, null, OptionalLong.empty(), new LoadShedException(name, priority, why));
                }
                default -> throw new IllegalStateException("unknown strategy " + strategy);
            }
        }

        private CompletableFuture<FallbackResult<R>> provider(int index, Supplier<CompletableFuture<FallbackResult<R>>> next) {
            if (index == providers.size()) {
                return next.get();
            }
            String provider = providers.get(index);
            if (!usable(provider)) {
                trail.add("provider " + provider + " skipped: resource constrained");
                return provider(index + 1, next);
            }
            String label = trail == Trail.DISCARDED ? provider : "provider " + provider;
            return attempt(attempts.provider(provider, request, context), FallbackResult.Outcome.SWITCHED,
                    label, label, () -> provider(index + 1, next));
        }

        private CompletableFuture<FallbackResult<R>> noted(String label, RuntimeException error,
                                                           Supplier<CompletableFuture<FallbackResult<R>>> next) {
            failure = error;
            note(label, error);
            return next.get();
        }

        /** A full answer: it refreshes the cache, unless it answered a degraded request. */
        private CompletableFuture<FallbackResult<R>> served(FallbackResult.Outcome outcome, @Nullable R value) {
            if (outcome != FallbackResult.Outcome.DEGRADED) {
                remember(request, value);
            }
            trail.add(LABELS[outcome.ordinal()]);
            return done(outcome, value, OptionalLong.empty(), null);
        }

        private CompletableFuture<FallbackResult<R>> done(FallbackResult.Outcome outcome, @Nullable R value,
                                                          OptionalLong ticket, @Nullable Throwable error) {
            FallbackResult<R> result = new FallbackResult<>(outcome, value, ticket, trail, error);
            counts.get(outcome).increment();
            if (!listeners.isEmpty()) {
                listeners.publish(new FallbackEvent(name, outcome, result.trail()));
            }
            return CompletableFuture.completedFuture(result);
        }
    }

    /** A list that forgets what it is given, for executions whose trail nobody will read. */
    private static final class Trail extends java.util.AbstractList<String> {
        static final List<String> DISCARDED = new Trail();

        @Override
        public boolean add(String entry) {
            return false;
        }

        @Override
        public String get(int index) {
            throw new IndexOutOfBoundsException(index);
        }

        @Override
        public int size() {
            return 0;
        }
    }
}
