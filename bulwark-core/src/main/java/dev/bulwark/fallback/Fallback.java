package dev.bulwark.fallback;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.ConfigException;
import dev.bulwark.ExecutionContext;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import java.util.function.Consumer;
import dev.bulwark.event.EventSource;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.GivenSettings;
import dev.bulwark.internal.listeners.Listeners;
import dev.bulwark.internal.Outcomes;
import dev.bulwark.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A policy that answers for a call that failed: when the call throws an exception the fallback handles, or
 * returns a result it does not accept, the fallback tries its {@link FallbackStrategy strategies} in order until
 * one answers: call again with another provider ({@link FallbackStrategy#switchProvider}) or a degraded request
 * ({@link FallbackStrategy#degrade}), queue the call for later ({@code dev.bulwark.queue.QueueForLater}), serve the
 * last good answer ({@link FallbackStrategy#cache}), answer with a value ({@link FallbackStrategy#answer}), or shed
 * the call ({@link FallbackStrategy#shed}).
 *
 * <pre>{@code
 * static final ExecutionContext.Key<String> PROVIDER = ExecutionContext.Key.of("provider", String.class);
 * static final ExecutionContext.Key<Integer> MAX_TOKENS = ExecutionContext.Key.of("max_tokens", Integer.class);
 *
 * Fallback<String> llm = Fallback.<String>builder("llm")
 *         .handle(IOException.class, RejectedException.class)
 *         .handleResult(answer -> answer.isBlank())
 *         .switchProvider(PROVIDER, "claude", "gemini")
 *         .degrade(ctx -> ctx.with(MAX_TOKENS, 500))
 *         .build();
 * Pipeline pipeline = Pipeline.of(llm, breaker, retry);
 * String answer = pipeline.execute(ExecutionContext.start(clock), ctx ->
 *         client.ask(ctx.getOrDefault(PROVIDER, "gpt-4"), prompt, ctx.getOrDefault(MAX_TOKENS, 2000)));
 * }</pre>
 *
 * <p>Strategies that call again run the rest of the pipeline (the policies inside the fallback, then the call)
 * with the context they chose; the call reads it through typed keys. Retry, circuit breaker, load shedding and
 * resource checks are not the fallback's business: put them in the pipeline, inside the fallback to be covered by
 * it (a rejection of theirs is an exception like any other), outside to guard the whole execution.
 *
 * <p>By default every {@link Exception} is handled, rejections included: an open circuit, a full bulkhead or a
 * constrained resource inside the fallback is a common reason to fall back. {@link Builder#handle} and
 * {@link Builder#handleIf} narrow that. Errors, interruptions and cancellations are never handled: no
 * fallback answers for a caller who gave up.
 * As a policy the fallback returns the answer of whichever path produced one; a queued call throws a
 * {@link QueuedException} carrying its ticket, a shed one a {@link LoadShedException}, and when nothing answered
 * the last failure is thrown unchanged (or the last unaccepted result returned). {@link #executeForResult} instead
 * returns a {@link FallbackResult} saying which path answered and what was tried. Every execution counts its
 * outcome ({@link #count}) and publishes a {@link FallbackEvent}, except those ended by an error or a
 * cancellation. A call the primary answers allocates nothing.
 *
 * <p>The type parameter is the result type of the calls this fallback protects; a {@code Fallback<T>} belongs in
 * pipelines whose calls return {@code T} (the type is not checked at run time). This class is thread-safe.
 *
 * @param <T> the result type
 */
public final class Fallback<T> implements Policy, EventSource<FallbackEvent> {
    private static final FallbackResult.Outcome[] OUTCOMES = FallbackResult.Outcome.values();
    private static final String[] LABELS = new String[OUTCOMES.length];

    static {
        for (FallbackResult.Outcome outcome : OUTCOMES) {
            LABELS[outcome.ordinal()] = outcome.name().toLowerCase(Locale.ROOT);
        }
    }

    private final String name;
    private final Clock clock;
    private final List<FallbackStrategy<T>> strategies;
    private final Predicate<? super Throwable> handled;
    private final @Nullable Predicate<? super T> rejectedResult;
    private final LongAdder[] counts = new LongAdder[OUTCOMES.length];
    private final Listeners<FallbackEvent> listeners;

    Fallback(String name, Clock clock, List<FallbackStrategy<T>> strategies, Predicate<? super Throwable> handled,
             @Nullable Predicate<? super T> rejectedResult) {
        this.name = name;
        this.clock = clock;
        this.strategies = List.copyOf(strategies);
        this.handled = handled;
        this.rejectedResult = rejectedResult;
        this.listeners = new Listeners<>("fallback '" + name + "'");
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** A builder for a fallback called {@code name}, for calls returning {@code T}. */
    public static <T> Builder<T> builder(String name) {
        return new Builder<>(name);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> R intercept(ExecutionContext context, ContextualSupplier<R> call, Chain next) throws Exception {
        R value;
        try {
            value = next.proceed(context, call);
        } catch (Exception failure) {
            if (!handles(failure)) {
                unhandled(failure);
                throw failure;
            }
            FallbackRun<T> run = new FallbackRun<>(this, context, FallbackRun.syncAttempts(call, next), !listeners.isEmpty());
            return valueOf(FallbackRun.join(run.afterException(failure)));
        }
        if (rejects((T) value)) {
            FallbackRun<T> run = new FallbackRun<>(this, context, FallbackRun.syncAttempts(call, next), !listeners.isEmpty());
            return valueOf(FallbackRun.join(run.afterResult((T) value)));
        }
        if (value != null) {
            fullAnswer(context, (T) value);
        }
        record(FallbackResult.Outcome.SERVED, null);
        return value;
    }

    @Override
    public <R> CompletionStage<R> interceptAsync(ExecutionContext context, AsyncSupplier<R> call, Chain next) {
        return new FallbackRun<>(this, context, FallbackRun.asyncAttempts(call, next), !listeners.isEmpty()).start()
                .thenCompose(result -> {
                    try {
                        return CompletableFuture.completedFuture(this.<R>valueOf(result));
                    } catch (Exception failure) {
                        return CompletableFuture.failedFuture(failure);
                    }
                });
    }

    /**
     * Runs {@code call} under this fallback alone and says how it was answered, instead of throwing for a queued,
     * shed or failed call.
     *
     * @throws Exception an error or interruption of the call, which no strategy handles, or the exception of a
     *         strategy (or a function given to one) that threw
     */
    public FallbackResult<T> executeForResult(ExecutionContext context, ContextualSupplier<? extends T> call)
            throws Exception {
        return FallbackRun.join(new FallbackRun<>(this, context, FallbackRun.syncAttempts(call, Chain.end()), true).start());
    }

    /**
     * Starts {@code call} under this fallback alone; the stage says how it was answered. It fails only with an
     * error or cancellation of the call, or the exception of a strategy that threw. Never throws.
     */
    public CompletionStage<FallbackResult<T>> executeForResultAsync(ExecutionContext context,
                                                                    AsyncSupplier<? extends T> call) {
        return new FallbackRun<>(this, context, FallbackRun.asyncAttempts(call, Chain.end()), true).start();
    }

    @SuppressWarnings("unchecked")
    private <R> R valueOf(FallbackResult<T> result) throws Exception {
        if (result.outcome() == FallbackResult.Outcome.QUEUED) {
            throw new QueuedException(name, result.ticket().orElseThrow(), result.error());
        }
        Throwable error = result.error();
        if (error != null) {
            throw Outcomes.rethrow(error);
        }
        return (R) dev.bulwark.internal.Nullness.callersValue(result.value());
    }

    /** Errors and cancellations end an execution at once: no fallback answers for a caller who gave up. */
    static boolean fatal(Throwable error) {
        return error instanceof Error || Outcomes.isCancellation(error);
    }

    boolean handles(Throwable error) {
        return !fatal(error) && handled.test(error);
    }

    boolean rejects(@Nullable T value) {
        return rejectedResult != null && rejectedResult.test(value);
    }

    /** Counts an exception this fallback does not handle (errors and cancellations are not counted). */
    private void unhandled(Exception failure) {
        if (fatal(failure)) {
            return;
        }
        counts[FallbackResult.Outcome.FAILED.ordinal()].increment();
        if (!listeners.isEmpty()) {
            listeners.publish(new FallbackEvent(name, FallbackResult.Outcome.FAILED,
                    List.of("primary: " + FallbackRun.describe(failure) + " (not handled)",
                            LABELS[FallbackResult.Outcome.FAILED.ordinal()])));
        }
    }

    void fullAnswer(ExecutionContext context, T value) {
        for (int i = 0; i < strategies.size(); i++) {
            strategies.get(i).onFullAnswer(context, value);
        }
    }

    /** Counts an execution's outcome and tells the listeners; a null trail stands for the primary's answer alone. */
    void record(FallbackResult.Outcome outcome, @Nullable List<String> trail) {
        counts[outcome.ordinal()].increment();
        if (!listeners.isEmpty()) {
            listeners.publish(new FallbackEvent(name, outcome, trail != null ? trail : List.of(LABELS[outcome.ordinal()])));
        }
    }

    static String label(FallbackResult.Outcome outcome) {
        return LABELS[outcome.ordinal()];
    }

    /** The strategies, in the order they are tried. */
    public List<FallbackStrategy<T>> strategies() {
        return strategies;
    }

    /** How many executions ended with {@code outcome}. */
    public long count(FallbackResult.Outcome outcome) {
        return counts[outcome.ordinal()].sum();
    }

    @Override
    public EventSource.Subscription subscribe(Consumer<? super FallbackEvent> listener) {
        return listeners.add(listener)::run;
    }

    @Override
    public long listenerFailures() {
        return listeners.failures();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Class<? extends Component> kind() {
        return Fallback.class;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "Fallback[" + name + ", " + strategies + "]";
    }

    /**
     * Builds a {@link Fallback}. Strategies are given either one by one ({@link #switchProvider}, {@link #degrade},
     * {@link #cache}, {@link #shed}, {@link #add}), and then run in the default order whatever the order of the calls
     * (switch provider, degrade, queue, cache, substitute, shed: the declaration order of their
     * {@link FallbackResult.Outcome outcomes}), or all at once with {@link #strategies}, and then run in the order given.
     * {@code handleResult}, {@code strategies} and {@code clock} may be given once each: a second call fails naming
     * the setting. Not thread-safe.
     *
     * @param <T> the result type
     */
    public static final class Builder<T> {
        private final String name;
        private final List<FallbackStrategy<T>> added = new ArrayList<>();
        private @Nullable List<FallbackStrategy<T>> ordered;
        private final List<Class<? extends Throwable>> handledTypes = new ArrayList<>();
        private final List<Predicate<? super Throwable>> handledIf = new ArrayList<>();
        private @Nullable Predicate<? super T> rejectedResult;
        private Clock clock = Clock.system();
        private final GivenSettings given = new GivenSettings();

        private Builder(String name) {
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
        public final Builder<T> handle(Class<? extends Throwable>... types) {
            for (Class<? extends Throwable> type : Objects.requireNonNull(types, "types")) {
                handledTypes.add(Objects.requireNonNull(type, "type"));
            }
            return this;
        }

        /** Handles exceptions {@code condition} accepts, besides the types given to {@link #handle}. */
        public Builder<T> handleIf(Predicate<? super Throwable> condition) {
            handledIf.add(Objects.requireNonNull(condition, "condition"));
            return this;
        }

        /**
         * Falls back also when the call answers a result {@code unacceptable} accepts (null, false, an error
         * payload); it is tested with every answer, null included. Default: every result is accepted.
         *
         * @throws ConfigException if given twice
         */
        public Builder<T> handleResult(Predicate<? super T> unacceptable) {
            given.mark(who(), "handleResult");
            rejectedResult = Objects.requireNonNull(unacceptable, "unacceptable");
            return this;
        }

        /**
         * The strategies, in the order to try them; instead of the one-by-one methods.
         *
         * @throws ConfigException if given twice
         */
        @SafeVarargs
        public final Builder<T> strategies(FallbackStrategy<T>... inOrder) {
            given.mark(who(), "strategies");
            List<FallbackStrategy<T>> list = new ArrayList<>();
            for (FallbackStrategy<T> strategy : Objects.requireNonNull(inOrder, "strategies")) {
                list.add(Objects.requireNonNull(strategy, "strategy"));
            }
            ordered = list;
            return this;
        }

        /** Adds a strategy, run in the default order (by its outcome). */
        public Builder<T> add(FallbackStrategy<T> strategy) {
            added.add(Objects.requireNonNull(strategy, "strategy"));
            return this;
        }

        /** Adds {@link FallbackStrategy#switchProvider}: calls again with {@code key} set to each alternative in turn. */
        @SafeVarargs
        public final <P> Builder<T> switchProvider(ExecutionContext.Key<P> key, P... alternatives) {
            return add(FallbackStrategy.switchProvider(key, alternatives));
        }

        /** Adds {@link FallbackStrategy#degrade}: calls again in the context {@code degrader} makes of the call's. */
        public Builder<T> degrade(UnaryOperator<ExecutionContext> degrader) {
            return add(FallbackStrategy.degrade(degrader));
        }

        /** Adds {@link FallbackStrategy#cache}: the last good answer under the context's key; full answers refresh it. */
        public <K> Builder<T> cache(ResultCache<K, T> cache, Function<ExecutionContext, ? extends K> keyOfContext) {
            return add(FallbackStrategy.cache(cache, keyOfContext));
        }

        /** Adds {@link FallbackStrategy#shed()}: ends the execution with a {@link LoadShedException}. */
        public Builder<T> shed() {
            return add(FallbackStrategy.shed());
        }

        /** The clock of the contexts the fallback starts when it runs calls on its own (default: the system clock). */
        public Builder<T> clock(Clock clock) {
            given.mark(who(), "clock");
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
            return error -> types.stream().anyMatch(type -> type.isInstance(error))
                    || conditions.stream().anyMatch(condition -> condition.test(error));
        }
    }
}
