package dev.bulwark.fallback;

import dev.bulwark.ConfigException;
import dev.bulwark.ExecutionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Calls again with another provider: the call's context with {@code key} set to each alternative in turn, until
 * one answers (reported as SWITCHED). The call reads the provider with {@code context.get(key)}; an alternative
 * that fails is noted in the trail as {@code provider <alternative>: <failure>} and the next is tried. An answer
 * from an alternative is a full answer (it refreshes a {@link UseCache}). Immutable and thread-safe.
 *
 * <pre>{@code
 * SwitchProvider.over(PROVIDER, "claude", "gemini")
 * }</pre>
 *
 * @param <T> the result type
 * @param <P> the type of the provider values
 */
public final class SwitchProvider<T, P> implements FallbackStrategy<T> {
    private final ExecutionContext.Key<P> key;
    private final List<P> alternatives;

    private SwitchProvider(ExecutionContext.Key<P> key, List<P> alternatives) {
        this.key = key;
        this.alternatives = alternatives;
    }

    /**
     * Tries {@code alternatives} in order under {@code key}.
     *
     * @throws ConfigException if there is no alternative or one is given twice
     */
    @SafeVarargs
    public static <T, P> SwitchProvider<T, P> over(ExecutionContext.Key<P> key, P... alternatives) {
        return over(key, List.of(alternatives));
    }

    /**
     * Tries {@code alternatives} in order under {@code key}.
     *
     * @throws ConfigException if there is no alternative or one is given twice
     */
    public static <T, P> SwitchProvider<T, P> over(ExecutionContext.Key<P> key, List<P> alternatives) {
        Objects.requireNonNull(key, "key");
        List<P> copy = new ArrayList<>();
        for (P alternative : alternatives) {
            P given = Objects.requireNonNull(alternative, "alternative");
            if (copy.contains(given)) {
                throw new ConfigException("switch provider '" + key + "'", "alternatives", given,
                        "each alternative given once");
            }
            copy.add(given);
        }
        if (copy.isEmpty()) {
            throw new ConfigException("switch provider '" + key + "'", "alternatives", copy, "at least one alternative");
        }
        return new SwitchProvider<>(key, List.copyOf(copy));
    }

    /** The alternatives, in the order they are tried. */
    public List<P> alternatives() {
        return alternatives;
    }

    @Override
    public FallbackResult.Outcome outcome() {
        return FallbackResult.Outcome.SWITCHED;
    }

    @Override
    public CompletionStage<FallbackStep<T>> apply(Failure<T> failure) {
        return tryFrom(0, failure);
    }

    private CompletionStage<FallbackStep<T>> tryFrom(int index, Failure<T> failure) {
        P alternative = alternatives.get(index);
        CompletionStage<FallbackStep<T>> step = failure.callWith(failure.context().with(key, alternative),
                "provider " + alternative);
        if (index + 1 == alternatives.size()) {
            return step;
        }
        return step.thenCompose(taken -> taken.ended() ? java.util.concurrent.CompletableFuture.completedFuture(taken)
                : tryFrom(index + 1, failure));
    }

    @Override
    public String toString() {
        return "SwitchProvider[" + key + " over " + alternatives + "]";
    }
}
