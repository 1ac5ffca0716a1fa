package dev.bulwark.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An injection supplier that throws ends the call with its exception, also after an injected delay. */
class ChaosSupplierFailureTest {

    private static final IllegalStateException BROKE = new IllegalStateException("supplier broke");

    private final ManualClock clock = new ManualClock();

    @Test
    void aThrowingExceptionSupplierFailsTheDelayedAsyncStage() {
        Chaos chaos = Chaos.builder("demo").latency(1.0, Duration.ofSeconds(1)).exception(1.0, () -> {
            throw BROKE;
        }).clockAndScheduler(clock).build();

        CompletableFuture<String> stage = chaos.executeAsync(() -> CompletableFuture.completedFuture("real"))
                .toCompletableFuture();
        clock.advance(Duration.ofSeconds(1));

        assertThat(stage).isDone();
        assertThatThrownBy(() -> stage.get(0, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause().isSameAs(BROKE);
    }

    @Test
    void aThrowingResultSupplierFailsTheDelayedAsyncStageAndReachesASyncCallerAsIs() {
        Chaos chaos = Chaos.builder("demo").latency(1.0, Duration.ofSeconds(1)).result(1.0, () -> {
            throw BROKE;
        }).clockAndScheduler(clock).build();

        CompletableFuture<Object> stage = chaos.executeAsync(() -> CompletableFuture.<Object>completedFuture("real"))
                .toCompletableFuture();
        clock.advance(Duration.ofSeconds(1));

        assertThat(stage).isDone();
        assertThatThrownBy(() -> stage.get(0, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause().isSameAs(BROKE);
        assertThatThrownBy(() -> chaos.execute(() -> "real")).isSameAs(BROKE);
    }
}
