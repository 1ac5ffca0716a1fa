package dev.bulwark.fallback;

import static dev.bulwark.fallback.FallbackStrategy.DEGRADE_SERVICE;
import static dev.bulwark.fallback.FallbackStrategy.QUEUE_REQUEST;
import static dev.bulwark.fallback.FallbackStrategy.USE_CACHE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.resource.ResourceMonitor;
import dev.bulwark.resource.ResourceType;
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
 * A user function of the fallback policy that throws (resource key, degrader, queue item, cache key) ends the
 * call with that exception: as is when synchronous, failing the stage when asynchronous. It is the caller's bug,
 * not a provider failure for the next strategy to cover.
 */
class FallbackUserFunctionFailureTest extends FakeLlmFixture {

    private static final IllegalStateException BROKEN = new IllegalStateException("user function broke");

    static <T> T broken(Object ignored) {
        throw BROKEN;
    }

    static Stream<Arguments> throwingFunctions() {
        return Stream.of(
                Arguments.of("degrader", (Function<FallbackUserFunctionFailureTest, FallbackPolicy>) t -> FallbackPolicy
                        .builder("llm").strategies(DEGRADE_SERVICE, QUEUE_REQUEST).degrade(FallbackUserFunctionFailureTest::broken)
                        .queue(new InMemoryDeferredQueue<>("later", 10), ctx -> "queued").build()),
                Arguments.of("queue item", (Function<FallbackUserFunctionFailureTest, FallbackPolicy>) t -> FallbackPolicy
                        .builder("llm").strategies(QUEUE_REQUEST, USE_CACHE)
                        .queue(new InMemoryDeferredQueue<>("later", 10), FallbackUserFunctionFailureTest::broken)
                        .cache(t.cache(), ctx -> "hi").build()),
                Arguments.of("cache key", (Function<FallbackUserFunctionFailureTest, FallbackPolicy>) t -> FallbackPolicy
                        .builder("llm").strategies(USE_CACHE).cache(t.cache(), FallbackUserFunctionFailureTest::broken).build()),
                Arguments.of("resource key", (Function<FallbackUserFunctionFailureTest, FallbackPolicy>) t -> FallbackPolicy
                        .builder("llm").strategies(USE_CACHE).cache(t.cache(), ctx -> "hi")
                        .resource(t.resources(), ResourceType.API_QUOTA, FallbackUserFunctionFailureTest::broken).build()));
    }

    ResultCache<String, String> cache() {
        ResultCache<String, String> cache = new ResultCache<>(10, Duration.ofMinutes(1), Duration.ofHours(1), clock);
        cache.put("hi", "cached answer");
        return cache;
    }

    ResourceMonitor resources() {
        return ResourceMonitor.builder("app").clockAndScheduler(clock).systemReadings(false).build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("throwingFunctions")
    void aThrowingFunctionReachesTheSyncCallerAsIs(String kind, Function<FallbackUserFunctionFailureTest, FallbackPolicy> make) {
        FallbackPolicy policy = make.apply(this);
        down.add("model-a");

        assertThatThrownBy(() -> policy.execute(prompt("hi"), llm)).isSameAs(BROKEN);
        assertThatThrownBy(() -> policy.executeForResult(prompt("hi"), llm)).isSameAs(BROKEN);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("throwingFunctions")
    void aThrowingFunctionFailsTheAsyncStageWithItsException(String kind,
                                                             Function<FallbackUserFunctionFailureTest, FallbackPolicy> make) {
        FallbackPolicy policy = make.apply(this);
        down.add("model-a");
        AsyncSupplier<String> async = ctx -> {
            try {
                return CompletableFuture.completedFuture(llm.get(ctx));
            } catch (Exception failure) {
                return CompletableFuture.failedFuture(failure);
            }
        };

        CompletableFuture<String> stage = policy.executeAsync(prompt("hi"), async).toCompletableFuture();
        CompletableFuture<FallbackResult<String>> forResult = policy.executeForResultAsync(prompt("hi"), async)
                .toCompletableFuture();

        assertThat(stage).isDone();
        assertThatThrownBy(() -> stage.get(0, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause().isSameAs(BROKEN);
        assertThat(forResult).isDone();
        assertThatThrownBy(() -> forResult.get(0, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isSameAs(BROKEN);
    }
}
