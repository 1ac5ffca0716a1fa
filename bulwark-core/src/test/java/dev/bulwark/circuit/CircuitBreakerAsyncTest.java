package dev.bulwark.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class CircuitBreakerAsyncTest {

    private final ManualClock clock = new ManualClock();
    private final CircuitBreaker breaker = CircuitBreaker.builder("async").clock(clock).build();

    @Test
    void asyncFailuresOpenTheCircuitLikeSyncOnes() {
        for (int i = 0; i < 5; i++) {
            breaker.executeAsync(() -> CompletableFuture.failedFuture(new IOException("down")));
        }

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        Throwable rejection = breaker.executeAsync(() -> CompletableFuture.completedFuture("x"))
                .handle((value, error) -> error).toCompletableFuture().join();
        assertThat(rejection).isInstanceOf(CircuitOpenException.class);
    }

    @Test
    void theCallersExceptionArrivesUnwrapped() {
        IOException failure = new IOException("down");

        Throwable seen = breaker.executeAsync(() -> CompletableFuture.<String>failedFuture(failure))
                .handle((value, error) -> error).toCompletableFuture().join();

        assertThat(seen).isSameAs(failure);
    }

    @Test
    void cancellingAProbeGivesItsPermitBack() {
        breaker.trip();
        clock.advance(Duration.ofSeconds(60));
        CompletableFuture<String> neverEnding = new CompletableFuture<>();
        CompletionStage<String> first = breaker.executeAsync(() -> neverEnding);
        breaker.executeAsync(CompletableFuture::new);
        breaker.executeAsync(CompletableFuture::new);
        assertThat(breaker.tryAcquirePermission()).as("all three probes in flight").isFalse();

        first.toCompletableFuture().cancel(true);

        assertThat(neverEnding).as("cancellation reaches the call").isCancelled();
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.stats().failedCalls()).as("a cancelled probe is no verdict").isZero();
    }

    @Test
    void anInnerCancellationGivesThePermitBackToo() {
        breaker.trip();
        clock.advance(Duration.ofSeconds(60));
        CompletableFuture<String> probe = new CompletableFuture<>();
        breaker.executeAsync(() -> probe);
        breaker.executeAsync(CompletableFuture::new);
        breaker.executeAsync(CompletableFuture::new);

        probe.cancel(true);

        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    @Test
    void anInterruptedSyncProbeGivesItsPermitBack() {
        breaker.trip();
        clock.advance(Duration.ofSeconds(60));

        try {
            breaker.execute(() -> {
                throw new InterruptedException("shutting down");
            });
        } catch (Exception expected) {
            assertThat(expected).isInstanceOf(InterruptedException.class);
        }

        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isFalse();
    }
}
