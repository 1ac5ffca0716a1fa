package dev.bulwark.fallback;

import dev.bulwark.ConfigException;
import dev.bulwark.ExecutionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link FallbackStrategy#switchProvider}: calls again with each alternative under the key in turn. */
final class SwitchProvider<T, P> implements FallbackStrategy<T> {
    private final ExecutionContext.Key<P> key;
    private final List<P> alternatives;
    /** {@code ExecutionContext.detached()} with each alternative: immutable, so made once. */
    private final ExecutionContext[] detachedWith;

    private SwitchProvider(ExecutionContext.Key<P> key, List<P> alternatives) {
        this.key = key;
        this.alternatives = alternatives;
        this.detachedWith = new ExecutionContext[alternatives.size()];
        for (int i = 0; i < detachedWith.length; i++) {
            detachedWith[i] = ExecutionContext.detached().with(key, alternatives.get(i));
        }
    }

    /** How many alternatives there are. */
    int size() {
        return alternatives.size();
    }

    /** {@code context} carrying alternative {@code index} under the key. */
    ExecutionContext contextFor(ExecutionContext context, int index) {
        return context == ExecutionContext.detached() ? detachedWith[index] : context.with(key, alternatives.get(index));
    }

    static <T, P> SwitchProvider<T, P> over(ExecutionContext.Key<P> key, List<P> alternatives) {
        Objects.requireNonNull(key, "key");
        List<P> copy = new ArrayList<>();
        for (P alternative : Objects.requireNonNull(alternatives, "alternatives")) {
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

    @Override
    public FallbackResult.Outcome outcome() {
        return FallbackResult.Outcome.SWITCHED;
    }

    @Override
    public CompletionStage<Step<T>> apply(Failure<T> failure) {
        return tryFrom(0, failure);
    }

    private CompletionStage<Step<T>> tryFrom(int index, Failure<T> failure) {
        P alternative = alternatives.get(index);
        CompletionStage<Step<T>> step = failure.callWith(contextFor(failure.context(), index),
                "provider " + alternative);
        if (index + 1 == alternatives.size()) {
            return step;
        }
        return step.thenCompose(taken -> taken.ended() ? CompletableFuture.completedFuture(taken)
                : tryFrom(index + 1, failure));
    }

    @Override
    public String toString() {
        return "SwitchProvider[" + key + " over " + alternatives + "]";
    }
}
