package dev.bulwark.fallback;

import dev.bulwark.ExecutionContext;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** {@link FallbackStrategy#cache}: the last good answer under the context's key; full answers refresh it. */
final class UseCache<T, K> implements FallbackStrategy<T> {
    private final ResultCache<K, T> cache;
    private final Function<ExecutionContext, ? extends K> keyOfContext;

    UseCache(ResultCache<K, T> cache, Function<ExecutionContext, ? extends K> keyOfContext) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.keyOfContext = Objects.requireNonNull(keyOfContext, "keyOfContext");
    }

    @Override
    public FallbackResult.Outcome outcome() {
        return FallbackResult.Outcome.CACHED;
    }

    @Override
    public CompletionStage<Step<T>> apply(Failure<T> failure) {
        T cached = cache.usable(keyOfContext.apply(failure.context())).orElse(null);
        return CompletableFuture.completedFuture(cached == null ? failure.pass("cache: nothing usable") : failure.answer(cached));
    }

    @Override
    public void onFullAnswer(ExecutionContext context, T value) {
        cache.put(keyOfContext.apply(context), value);
    }

    @Override
    public String toString() {
        return "UseCache";
    }
}
