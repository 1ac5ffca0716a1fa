package dev.bulwark.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.Pipeline;
import dev.bulwark.RejectedException;
import dev.bulwark.fallback.FakeLlmFixture;
import dev.bulwark.fallback.Fallback;
import dev.bulwark.fallback.FallbackResult;
import dev.bulwark.fallback.FallbackStrategy;
import dev.bulwark.fallback.ResultCache;
import dev.bulwark.queue.DeferredQueue;
import dev.bulwark.queue.QueueForLater;
import dev.bulwark.resource.ResourceGate;
import dev.bulwark.resource.ResourceMonitor;
import dev.bulwark.resource.ResourceType;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A function the user gave a fallback strategy, or the fallback itself (degrader, queue item, cache key, result
 * predicate, fallback value, resource key of a gate inside a fallback that handles I/O failures and rejections),
 * that throws ends the call with that exception: as is when synchronous, failing the stage when asynchronous. It is
 * the caller's bug, not a provider failure for the next strategy to cover.
 */
class FallbackUserFunctionFailureTest extends FakeLlmFixture {

    private static final IllegalStateException BROKEN = new IllegalStateException("user function broke");

    /** A fallback and the policies inside it. */
    record Setup(Fallback<String> fallback, Pipeline inner) {
        Pipeline pipeline() {
            Pipeline.Builder builder = Pipeline.builder().add(fallback);
            inner.policies().forEach(builder::add);
            return builder.build();
        }
    }

    static <T> T broken(Object ignored) {
        throw BROKEN;
    }

    private static Setup alone(Fallback<String> fallback) {
        return new Setup(fallback, Pipeline.of());
    }

    static Stream<Arguments> throwingFunctions() {
        return Stream.of(
                Arguments.of("degrader", (Function<FallbackUserFunctionFailureTest, Setup>) t -> alone(Fallback.<String>builder("llm")
                        .degrade(FallbackUserFunctionFailureTest::broken).add(FallbackStrategy.answer("after")).build())),
                Arguments.of("queue item", (Function<FallbackUserFunctionFailureTest, Setup>) t -> alone(Fallback.<String>builder("llm")
                        .add(QueueForLater.into(DeferredQueue.<String>inMemory("later", 10), FallbackUserFunctionFailureTest::broken))
                        .cache(t.cache(), ctx -> "hi").build())),
                Arguments.of("cache key", (Function<FallbackUserFunctionFailureTest, Setup>) t -> alone(Fallback.<String>builder("llm")
                        .add(FallbackStrategy.cache(t.cache(), FallbackUserFunctionFailureTest::broken)).build())),
                Arguments.of("result predicate", (Function<FallbackUserFunctionFailureTest, Setup>) t -> alone(Fallback.<String>builder("llm")
                        .handleResult(FallbackUserFunctionFailureTest::broken).switchProvider(PROVIDER, "model-b")
                        .add(FallbackStrategy.answer("after")).build())),
                Arguments.of("fallback value", (Function<FallbackUserFunctionFailureTest, Setup>) t -> alone(Fallback.<String>builder("llm")
                        .strategies(FallbackStrategy.answerFrom(FallbackUserFunctionFailureTest::broken), FallbackStrategy.cache(t.cache(), ctx -> "hi"))
                        .build())),
                Arguments.of("resource key", (Function<FallbackUserFunctionFailureTest, Setup>) t -> new Setup(Fallback.<String>builder("llm")
                        .handle(IOException.class, RejectedException.class).cache(t.cache(), ctx -> "hi").build(),
                        Pipeline.of(ResourceGate.of("quota", t.resources(), ResourceType.API_QUOTA, FallbackUserFunctionFailureTest::broken)))));
    }

    ResultCache<String, String> cache() {
        ResultCache<String, String> cache = ResultCache.builder("cache").maxEntries(10).timeToLive(Duration.ofMinutes(1)).maxStaleness(Duration.ofHours(1)).clock(clock).build();
        cache.put("hi", "cached answer");
        return cache;
    }

    ResourceMonitor resources() {
        return ResourceMonitor.builder("app").clockAndScheduler(clock).systemReadings(false).build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("throwingFunctions")
    void aThrowingFunctionReachesTheSyncCallerAsIs(String kind, Function<FallbackUserFunctionFailureTest, Setup> make)
            throws Exception {
        Setup setup = make.apply(this);
        down.add("model-a");
        ContextualSupplier<String> inner = ctx -> setup.inner().execute(ctx, llm);

        assertThatThrownBy(() -> setup.pipeline().execute(prompt("hi"), llm)).isSameAs(BROKEN);
        if (setup.inner().policies().isEmpty()) {
            assertThatThrownBy(() -> setup.fallback().executeForResult(prompt("hi"), inner)).isSameAs(BROKEN);
        } else {
            assertThat(setup.fallback().executeForResult(prompt("hi"), inner)).satisfies(result -> {
                assertThat(result.outcome()).as("an exception of an inner policy the fallback does not handle")
                        .isEqualTo(FallbackResult.Outcome.FAILED);
                assertThat(result.error()).isSameAs(BROKEN);
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("throwingFunctions")
    void aThrowingFunctionFailsTheAsyncStageWithItsException(String kind, Function<FallbackUserFunctionFailureTest, Setup> make)
            throws Exception {
        Setup setup = make.apply(this);
        down.add("model-a");
        AsyncSupplier<String> async = ctx -> {
            try {
                return CompletableFuture.completedFuture(llm.get(ctx));
            } catch (Exception failure) {
                return CompletableFuture.failedFuture(failure);
            }
        };

        CompletableFuture<String> stage = setup.pipeline().executeAsync(prompt("hi"), async).toCompletableFuture();
        CompletableFuture<FallbackResult<String>> forResult = setup.fallback()
                .executeForResultAsync(prompt("hi"), ctx -> setup.inner().executeAsync(ctx, async)).toCompletableFuture();

        assertThat(stage).isDone();
        assertThatThrownBy(() -> stage.get(0, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause().isSameAs(BROKEN);
        assertThat(forResult).isDone();
        if (setup.inner().policies().isEmpty()) {
            assertThatThrownBy(() -> forResult.get(0, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isSameAs(BROKEN);
        } else {
            assertThat(forResult.get(0, TimeUnit.SECONDS).error()).isSameAs(BROKEN);
        }
    }
}
