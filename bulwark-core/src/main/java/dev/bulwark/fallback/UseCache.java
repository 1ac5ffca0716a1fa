package dev.bulwark.fallback;

import dev.bulwark.ExecutionContext;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Serves the last good answer for the call's key from a {@link ResultCache}, fresh or stale within the cache's
 * maximum staleness (stale-if-error), reported as CACHED; passes when there is none. The fallback keeps the cache
 * fresh: every full answer (the primary's or an alternative provider's, never a degraded one) is stored under
 * the key of the call's context. A key function that throws ends the execution with its exception. Thread-safe if
 * the key function is.
 *
 * @param <T> the result type
 * @param <K> the cache's key type
 */
public final class UseCache<T, K> implements FallbackStrategy<T> {
    private final ResultCache<K, T> cache;
    private final Function<ExecutionContext, ? extends K> keyOfContext;

    private UseCache(ResultCache<K, T> cache, Function<ExecutionContext, ? extends K> keyOfContext) {
        this.cache = cache;
        this.keyOfContext = keyOfContext;
    }

    /** Serves from {@code cache} under the key {@code keyOfContext} makes of the call's context. */
    public static <T, K> UseCache<T, K> of(ResultCache<K, T> cache, Function<ExecutionContext, ? extends K> keyOfContext) {
        return new UseCache<>(Objects.requireNonNull(cache, "cache"), Objects.requireNonNull(keyOfContext, "keyOfContext"));
    }

    @Override
    public FallbackResult.Outcome outcome() {
        return FallbackResult.Outcome.CACHED;
    }

    @Override
    public CompletionStage<FallbackStep<T>> apply(Failure<T> failure) {
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
