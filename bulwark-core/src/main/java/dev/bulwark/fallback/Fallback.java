package dev.bulwark.fallback;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.ConfigException;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.GivenSettings;
import dev.bulwark.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
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
 * outcome ({@link #count}) and publishes an {@link Event}, except those ended by an error or a
 * cancellation. A call the primary answers allocates nothing.
 *
 * <p>The type parameter is the result type of the calls this fallback protects; a {@code Fallback<T>} belongs in
 * pipelines whose calls return {@code T} (the type is not checked at run time). The implementation is thread-safe.
 *
 * @param <T> the result type
 */
public sealed interface Fallback<T> extends Policy, EventSource<Fallback.Event> permits DefaultFallback {

    /** A builder for a fallback called {@code name}, for calls returning {@code T}. */
    static <T> Builder<T> builder(String name) {
        return new Builder<>(new FallbackSettings<>(Objects.requireNonNull(name, "name")));
    }

    /** A fallback with the given settings. */
    static <T> Fallback<T> of(Config<T> config) {
        return new DefaultFallback<>(config);
    }

    /** This fallback's settings. */
    Config<T> config();

    /** The strategies, in the order they are tried (those of {@link #config()}). */
    List<FallbackStrategy<T>> strategies();

    /** How many executions ended with {@code outcome}. */
    long count(FallbackResult.Outcome outcome);

    /**
     * Runs {@code call} under this fallback alone and says how it was answered, instead of throwing for a queued,
     * shed or failed call.
     *
     * @throws Exception an error or interruption of the call, which no strategy handles, or the exception of a
     *         strategy (or a function given to one) that threw
     */
    FallbackResult<T> executeForResult(ExecutionContext context, ContextualSupplier<? extends T> call) throws Exception;

    /**
     * Starts {@code call} under this fallback alone; the stage says how it was answered. It fails only with an
     * error or cancellation of the call, or the exception of a strategy that threw. Never throws.
     */
    CompletionStage<FallbackResult<T>> executeForResultAsync(ExecutionContext context, AsyncSupplier<? extends T> call);

    @Override
    default Class<? extends Component> kind() {
        return Fallback.class;
    }

    /**
     * How one execution of a fallback ended, published to its listeners so that metrics can count answers by the
     * path that produced them: a sealed interface of records, so a listener can {@code switch} over every case.
     * Published for every execution but those ended by an error or a cancellation; built only when someone
     * listens. Every event carries the fallback's name, the outcome and the trail (what was tried, in order, as in
     * {@link FallbackResult#trail()}).
     */
    sealed interface Event {

        /** The fallback's name. */
        String name();

        /** How the execution ended. */
        FallbackResult.Outcome outcome();

        /** What was tried, in order. */
        List<String> trail();

        /** The call answered at once (SERVED): no strategy was needed. */
        record Served(String name, List<String> trail) implements Event {
            /** Copies the trail. */
            public Served {
                trail = List.copyOf(trail);
            }

            @Override
            public FallbackResult.Outcome outcome() {
                return FallbackResult.Outcome.SERVED;
            }
        }

        /**
         * A strategy answered in the call's place, reported as its {@code outcome}: SWITCHED, DEGRADED, CACHED or
         * SUBSTITUTED for the strategies made by {@link FallbackStrategy}'s factories.
         */
        record Answered(String name, FallbackResult.Outcome outcome, List<String> trail) implements Event {
            /** Copies the trail. */
            public Answered {
                Objects.requireNonNull(outcome, "outcome");
                trail = List.copyOf(trail);
            }
        }

        /** The call was queued for later under {@code ticket} (QUEUED). */
        record Queued(String name, long ticket, List<String> trail) implements Event {
            /** Copies the trail. */
            public Queued {
                trail = List.copyOf(trail);
            }

            @Override
            public FallbackResult.Outcome outcome() {
                return FallbackResult.Outcome.QUEUED;
            }
        }

        /**
         * The call was shed (SHED): {@code error} is the {@link LoadShedException} it ended with, or null when the
         * shed call was answered with a value ({@link FallbackStrategy#shedAnswering}).
         */
        record Shed(String name, @Nullable Throwable error, List<String> trail) implements Event {
            /** Copies the trail. */
            public Shed {
                trail = List.copyOf(trail);
            }

            @Override
            public FallbackResult.Outcome outcome() {
                return FallbackResult.Outcome.SHED;
            }
        }

        /**
         * Nothing answered, or the failure was not one the fallback handles (FAILED): {@code error} is the last
         * failure, or null when the last result was not accepted.
         */
        record Failed(String name, @Nullable Throwable error, List<String> trail) implements Event {
            /** Copies the trail. */
            public Failed {
                trail = List.copyOf(trail);
            }

            @Override
            public FallbackResult.Outcome outcome() {
                return FallbackResult.Outcome.FAILED;
            }
        }
    }

    /**
     * The immutable settings of a {@link Fallback}.
     *
     * @param name the fallback's name, non-blank
     * @param handledTypes the exception types handled, with their subtypes (default none)
     * @param handledIf the conditions under which any other exception is handled (default none); with no type and
     *        no condition, every {@link Exception} is handled. Errors and cancellations never are.
     * @param unacceptedResult which results are not accepted and fall back like a failure, tested with every
     *        answer, null included; null (the default) accepts every result
     * @param strategies the strategies in the order they are tried: at least one, each at most once
     * @param explicitOrder true when {@code strategies} is the caller's order; false (the default) when the
     *        strategies run in the default order (by their {@link FallbackStrategy#outcome() outcome}: switch
     *        provider, degrade, queue, cache, substitute, shed), in which this constructor puts them
     * @param clock the clock of the contexts the fallback starts when it runs calls on its own (default
     *        {@link Clock#system()})
     * @param <T> the result type
     */
    record Config<T>(String name, List<Class<? extends Throwable>> handledTypes,
                     List<Predicate<? super Throwable>> handledIf, @Nullable Predicate<? super T> unacceptedResult,
                     List<FallbackStrategy<T>> strategies, boolean explicitOrder, Clock clock) {

        /**
         * Validates every field and puts the strategies in the default order unless {@code explicitOrder}.
         *
         * @throws ConfigException if the name is blank, there is no strategy or a strategy appears twice
         * @throws NullPointerException for a null list, list element or clock
         */
        public Config {
            String who = FallbackSettings.who(Checks.name("fallback", name));
            handledTypes = FallbackSettings.copyWithoutNulls(handledTypes, "handledTypes");
            handledIf = FallbackSettings.copyWithoutNulls(handledIf, "handledIf");
            strategies = FallbackSettings.inOrder(who, strategies, explicitOrder);
            Objects.requireNonNull(clock, "clock");
        }

        /**
         * A builder starting from this config's values, none of them given yet, so each may be overridden once.
         * {@code handle}, {@code handleIf} and the one-by-one strategy methods add to this config's lists (a strategy
         * added to an explicit order runs after it); {@link Builder#strategies} replaces the strategies.
         */
        public Builder<T> toBuilder() {
            return new Builder<>(new FallbackSettings<>(this));
        }
    }

    /**
     * Builds a {@link Config} or a {@link Fallback}. Strategies are given either one by one
     * ({@link #switchProvider}, {@link #degrade}, {@link #cache}, {@link #shed}, {@link #add}), and then run in the
     * default order whatever the order of the calls (switch provider, degrade, queue, cache, substitute, shed: the
     * declaration order of their {@link FallbackResult.Outcome outcomes}), or all at once with {@link #strategies},
     * and then run in the order given. {@code handle}, {@code handleIf} and the one-by-one methods add to what was
     * given before; every other setting may be given once: a second call fails naming it. Not thread-safe.
     *
     * @param <T> the result type
     */
    final class Builder<T> {
        private final FallbackSettings<T> settings;
        private final GivenSettings given = new GivenSettings();

        private Builder(FallbackSettings<T> settings) {
            this.settings = settings;
        }

        private void given(String setting) {
            given.mark(FallbackSettings.who(settings.name), setting);
        }

        /** Renames the fallback (for a derived config). */
        public Builder<T> name(String name) {
            given("name");
            settings.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Handles exceptions of these types (and their subtypes), besides those {@link #handleIf} accepts. Without
         * {@code handle} or {@code handleIf}, every {@link Exception} is handled. Errors, interruptions and
         * cancellations are never handled.
         */
        @SafeVarargs
        public final Builder<T> handle(Class<? extends Throwable>... types) {
            for (Class<? extends Throwable> type : Objects.requireNonNull(types, "types")) {
                settings.handledTypes.add(Objects.requireNonNull(type, "type"));
            }
            return this;
        }

        /** Handles exceptions {@code condition} accepts, besides the types given to {@link #handle}. */
        public Builder<T> handleIf(Predicate<? super Throwable> condition) {
            settings.handledIf.add(Objects.requireNonNull(condition, "condition"));
            return this;
        }

        /**
         * Falls back also when the call answers a result {@code unacceptable} accepts (null, false, an error
         * payload); it is tested with every answer, null included. Default: every result is accepted.
         *
         * @throws ConfigException if given twice
         */
        public Builder<T> handleResult(Predicate<? super T> unacceptable) {
            given("handleResult");
            settings.unacceptedResult = Objects.requireNonNull(unacceptable, "unacceptable");
            return this;
        }

        /**
         * The strategies, in the order to try them; instead of the one-by-one methods.
         *
         * @throws ConfigException if given twice
         */
        @SafeVarargs
        public final Builder<T> strategies(FallbackStrategy<T>... inOrder) {
            given("strategies");
            settings.ordered = FallbackSettings.copyWithoutNulls(Arrays.asList(Objects.requireNonNull(inOrder, "strategies")),
                    "strategies");
            return this;
        }

        /** Adds a strategy, run in the default order (by its outcome). */
        public Builder<T> add(FallbackStrategy<T> strategy) {
            settings.added.add(Objects.requireNonNull(strategy, "strategy"));
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
            given("clock");
            settings.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The config.
         *
         * @throws ConfigException if the name is blank, there is no strategy, a strategy appears twice, or both
         *         {@link #strategies} and the one-by-one methods were used
         */
        public Config<T> buildConfig() {
            return settings.toConfig();
        }

        /**
         * The fallback.
         *
         * @throws ConfigException as {@link #buildConfig()}
         */
        public Fallback<T> build() {
            return Fallback.of(buildConfig());
        }
    }
}
