package dev.bulwark.fallback;

import dev.bulwark.ExecutionContext;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * One way a {@link Fallback} can answer for a call that failed. The strategies that come with the fallback are
 * small immutable objects made by the factories here: call again with another provider ({@link #switchProvider})
 * or a degraded request ({@link #degrade}), serve the last good answer ({@link #cache}), answer with a value of the
 * caller's choice ({@link #answer}, {@link #answerFrom}), or shed the call ({@link #shed}, {@link #shedAnswering}).
 * The queue strategy ({@code dev.bulwark.queue.QueueForLater}) lives beside the deferred queues and implements this
 * contract like any user strategy.
 *
 * <p>A strategy is handed the {@link Failure} (the exception or the unacceptable result, the context, and a way to
 * call again) and returns a stage of the {@link Step} it took: an answer, which ends the execution, or a pass, after
 * which the fallback tries the next strategy. A strategy used by a synchronous execution should complete its stage
 * on the calling thread ({@link Failure#callWith} does); the fallback waits for it otherwise. An exception thrown by
 * a strategy (or by a function the user gave it, such as a degrader) ends the execution with that exception: it is
 * a bug to fix, not a provider failure for the next strategy to cover.
 *
 * <p>Implementations must be thread-safe: one strategy serves every execution of its fallback.
 *
 * @param <T> the result type of the calls the fallback protects
 */
public interface FallbackStrategy<T> {

    /**
     * How a {@link FallbackResult} reports an answer of this strategy. Strategies given to a fallback builder
     * without an explicit order run in the declaration order of their outcomes: switch provider, degrade, queue,
     * cache, substitute, shed.
     */
    FallbackResult.Outcome outcome();

    /** Answers for the failed call, or passes to the next strategy. */
    CompletionStage<Step<T>> apply(Failure<T> failure);

    /**
     * Hears a full answer to the call in {@code context}: the primary's, or an alternative provider's (never a
     * degraded, cached or substituted one). The cache strategy keeps its cache fresh here. Must be fast; the
     * default does nothing.
     */
    default void onFullAnswer(ExecutionContext context, T value) {
    }

    /**
     * Calls again with another provider, reported as SWITCHED: the call's context with {@code key} set to each
     * alternative in turn, until one answers. The call reads the provider with {@code context.get(key)}, a value of
     * the key's type; an alternative that fails is noted in the trail as {@code provider <alternative>: <failure>}
     * and the next is tried. An answer from an alternative is a full answer (it refreshes a {@link #cache}).
     *
     * <pre>{@code
     * FallbackStrategy.switchProvider(PROVIDER, "claude", "gemini")
     * }</pre>
     *
     * @throws dev.bulwark.ConfigException if there is no alternative or one is given twice
     */
    @SafeVarargs
    static <T, P> FallbackStrategy<T> switchProvider(ExecutionContext.Key<P> key, P... alternatives) {
        return SwitchProvider.over(key, List.of(alternatives));
    }

    /**
     * As {@link #switchProvider(ExecutionContext.Key, Object[])}, with the alternatives in a list.
     *
     * @throws dev.bulwark.ConfigException if there is no alternative or one is given twice
     */
    static <T, P> FallbackStrategy<T> switchProvider(ExecutionContext.Key<P> key, List<P> alternatives) {
        return SwitchProvider.over(key, alternatives);
    }

    /**
     * Calls again with a degraded request, reported as DEGRADED: in the context {@code degrader} makes of the
     * call's (fewer tokens, a smaller batch). A degraded answer is not a full answer: it does not refresh a
     * {@link #cache}. A degrader that throws ends the execution with its exception; one that returns null passes.
     *
     * <pre>{@code
     * FallbackStrategy.degrade(ctx -> ctx.with(MAX_TOKENS, 500))
     * }</pre>
     */
    static <T> FallbackStrategy<T> degrade(UnaryOperator<ExecutionContext> degrader) {
        return new Degrade<>(degrader);
    }

    /**
     * Serves the last good answer for the call's key from {@code cache}, fresh or stale within the cache's maximum
     * staleness (stale-if-error), reported as CACHED; passes when there is none. The fallback keeps the cache
     * fresh: every full answer (the primary's or an alternative provider's, never a degraded one) is stored under
     * the key {@code keyOfContext} makes of the call's context. A key function that throws ends the execution with
     * its exception.
     */
    static <T, K> FallbackStrategy<T> cache(ResultCache<K, T> cache, Function<ExecutionContext, ? extends K> keyOfContext) {
        return new UseCache<>(cache, keyOfContext);
    }

    /**
     * Answers {@code value}, reported as SUBSTITUTED.
     *
     * <pre>{@code
     * FallbackStrategy.answer("the assistant is busy, try again later")
     * }</pre>
     */
    static <T> FallbackStrategy<T> answer(@Nullable T value) {
        return new Substitute<>(failure -> value);
    }

    /**
     * Answers what {@code answer} makes of the {@link Failure} (its exception or unaccepted result, its context),
     * reported as SUBSTITUTED. A function that throws ends the execution with its exception.
     *
     * <pre>{@code
     * FallbackStrategy.answerFrom(failure -> Answer.error(failure.exception()))
     * }</pre>
     */
    static <T> FallbackStrategy<T> answerFrom(Function<Failure<T>, ? extends @Nullable T> answer) {
        return new Substitute<>(answer);
    }

    /**
     * Sheds the call, reported as SHED: ends the execution with a {@link LoadShedException} naming the call's
     * {@link LoadShedder.Priority} and the failure. Strategies after it are not tried.
     */
    static <T> FallbackStrategy<T> shed() {
        return new ShedCall<>(false, null);
    }

    /** Sheds the call answering {@code value} (a "busy, try later" answer), reported as SHED. */
    static <T> FallbackStrategy<T> shedAnswering(@Nullable T value) {
        return new ShedCall<>(true, value);
    }

    /**
     * What a strategy did for one failed call: answered (with a value, a queue ticket, or a final exception such as
     * a shed call's), or passed to the next strategy. Steps are made by the {@link Failure} the strategy was handed.
     * Immutable.
     *
     * @param <T> the result type
     */
    final class Step<T> {
        private final FallbackResult.@Nullable Outcome outcome;
        private final @Nullable T value;
        private final OptionalLong ticket;
        private final @Nullable Throwable error;

        Step(FallbackResult.@Nullable Outcome outcome, @Nullable T value, OptionalLong ticket, @Nullable Throwable error) {
            this.outcome = outcome;
            this.value = value;
            this.ticket = ticket;
            this.error = error;
        }

        /** True when this step ends the execution; false when the next strategy is to be tried. */
        public boolean ended() {
            return outcome != null;
        }

        FallbackResult.@Nullable Outcome outcome() {
            return outcome;
        }

        @Nullable T value() {
            return value;
        }

        OptionalLong ticket() {
            return ticket;
        }

        @Nullable Throwable error() {
            return error;
        }

        @Override
        public String toString() {
            return outcome == null ? "Step[pass]" : "Step[" + outcome + "]";
        }
    }
}
