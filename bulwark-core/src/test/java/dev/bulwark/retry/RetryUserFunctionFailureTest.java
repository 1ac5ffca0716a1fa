package dev.bulwark.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A predicate or backoff that throws ends the execution with that exception: thrown as is by a synchronous
 * call, failing the stage of an asynchronous one (which used to stay pending for ever).
 */
class RetryUserFunctionFailureTest {

    private static final IllegalStateException BROKEN = new IllegalStateException("user function broke");

    private final ManualClock clock = new ManualClock();

    static Stream<Arguments> throwingFunctions() {
        Backoff brokenBackoff = new Backoff() {
            @Override
            public long delayNanos(int retry, long previousDelayNanos, Random random) {
                throw BROKEN;
            }
        };
        return Stream.of(
                Arguments.of("exception predicate", (UnaryOperator<RetryConfig.Builder>) b -> b.retryOn(e -> {
                    throw BROKEN;
                }), false),
                Arguments.of("abort predicate", (UnaryOperator<RetryConfig.Builder>) b -> b.abortOn(e -> {
                    throw BROKEN;
                }), false),
                Arguments.of("result predicate", (UnaryOperator<RetryConfig.Builder>) b -> b.retryOnResult(r -> {
                    throw BROKEN;
                }), true),
                Arguments.of("backoff function", (UnaryOperator<RetryConfig.Builder>) b -> b.backoff(brokenBackoff), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("throwingFunctions")
    void aThrowingFunctionFailsTheAsyncStageWithItsException(String kind, UnaryOperator<RetryConfig.Builder> broken,
                                                              boolean callSucceeds) {
        Retry retry = broken.apply(Retry.builder("inventory")).clockAndScheduler(clock).build();

        CompletableFuture<String> stage = retry.executeAsync(() -> callSucceeds
                ? CompletableFuture.completedFuture("stock")
                : CompletableFuture.failedFuture(new IOException("down"))).toCompletableFuture();
        clock.advance(Duration.ofMinutes(1));

        assertThat(stage).isDone();
        assertThatThrownBy(() -> stage.get(0, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isSameAs(BROKEN);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("throwingFunctions")
    void aThrowingFunctionReachesTheSyncCallerAsIs(String kind, UnaryOperator<RetryConfig.Builder> broken,
                                                   boolean callSucceeds) {
        Retry retry = broken.apply(Retry.builder("inventory")).clockAndScheduler(clock).build();

        assertThatThrownBy(() -> retry.execute(() -> {
            if (callSucceeds) {
                return "stock";
            }
            throw new IOException("down");
        })).isSameAs(BROKEN);
    }
}
