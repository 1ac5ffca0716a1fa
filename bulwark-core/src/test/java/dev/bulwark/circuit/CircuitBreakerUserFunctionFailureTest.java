package dev.bulwark.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A predicate that throws ends the call with that exception (as is when synchronous, failing the stage when
 * asynchronous), counts nothing and gives a half-open probe slot back. A listener that throws changes nothing.
 */
class CircuitBreakerUserFunctionFailureTest {

    private static final IllegalStateException BROKEN = new IllegalStateException("predicate broke");

    private final ManualClock clock = new ManualClock();

    static Stream<Arguments> throwingPredicates() {
        return Stream.of(
                Arguments.of("failure predicate", (UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.recordFailure(e -> {
                    throw BROKEN;
                }), false),
                Arguments.of("ignore predicate", (UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.ignoreException(e -> {
                    throw BROKEN;
                }), false),
                Arguments.of("result predicate", (UnaryOperator<CircuitBreakerConfig.Builder>) b -> b.recordResult(r -> {
                    throw BROKEN;
                }), true));
    }

    private CircuitBreaker halfOpen(UnaryOperator<CircuitBreakerConfig.Builder> broken) {
        CircuitBreaker breaker = broken.apply(CircuitBreaker.builder("payments")).clock(clock).build();
        breaker.trip();
        clock.advance(Duration.ofSeconds(60));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        return breaker;
    }

    private static CompletableFuture<String> call(boolean succeeds) {
        return succeeds ? CompletableFuture.completedFuture("paid") : CompletableFuture.failedFuture(new IOException("down"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("throwingPredicates")
    void aThrowingPredicateFailsTheAsyncStageAndFreesTheProbeSlot(String kind, UnaryOperator<CircuitBreakerConfig.Builder> broken,
                                                                  boolean callSucceeds) {
        CircuitBreaker breaker = halfOpen(broken);

        for (int probe = 0; probe < 4; probe++) {
            CompletableFuture<String> stage = breaker.executeAsync(() -> call(callSucceeds)).toCompletableFuture();
            assertThat(stage).isDone();
            assertThatThrownBy(() -> stage.get(0, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isSameAs(BROKEN);
        }

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(breaker.tryAcquirePermission()).as("no probe slot leaked").isTrue();
        assertThat(breaker.stats().totalCalls()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("throwingPredicates")
    void aThrowingPredicateReachesTheSyncCallerAsIsAndFreesTheProbeSlot(String kind,
                                                                        UnaryOperator<CircuitBreakerConfig.Builder> broken,
                                                                        boolean callSucceeds) {
        CircuitBreaker breaker = halfOpen(broken);

        for (int probe = 0; probe < 4; probe++) {
            assertThatThrownBy(() -> breaker.execute(() -> call(callSucceeds).join())).isSameAs(BROKEN);
        }

        assertThat(breaker.tryAcquirePermission()).as("no probe slot leaked").isTrue();
    }

    @Test
    void aListenerThrowingACheckedExceptionNeitherEscapesNorStrandsTheStage() {
        CircuitBreaker breaker = CircuitBreaker.builder("payments").clock(clock).build();
        breaker.subscribe(event -> sneakyThrow(new Exception("listener broke on " + event)));

        CompletableFuture<String> stage = breaker.executeAsync(() -> call(true)).toCompletableFuture();
        breaker.trip();

        assertThat(stage).isCompletedWithValue("paid");
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.listenerFailures()).isEqualTo(2);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable failure) throws E {
        throw (E) failure;
    }
}
