package dev.bulwark.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class ChaosTest {

    private final ManualClock clock = new ManualClock();

    private static List<String> run(Chaos chaos, int calls) {
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            try {
                outcomes.add(chaos.execute(() -> "real"));
            } catch (Exception injected) {
                outcomes.add("threw " + injected.getMessage());
            }
        }
        return outcomes;
    }

    @Test
    void injectsFaultsAtRoughlyTheirProbabilityAndReplaysWithTheSameSeed() {
        Chaos first = Chaos.builder("demo").exception(0.3, () -> new IOException("injected"))
                .result(0.2, () -> "fake").seed(7).clockAndScheduler(clock).build();
        Chaos replay = Chaos.builder("demo").exception(0.3, () -> new IOException("injected"))
                .result(0.2, () -> "fake").seed(7).clockAndScheduler(clock).build();

        List<String> outcomes = run(first, 2000);

        assertThat(outcomes).isEqualTo(run(replay, 2000));
        assertThat(first.injectedExceptions()).isBetween(500L, 700L);
        assertThat(first.substitutedResults()).isBetween(200L, 360L);
        assertThat(outcomes).contains("real", "fake", "threw injected");
    }

    @Test
    void injectsLatencyThroughTheClock() throws Exception {
        Chaos chaos = Chaos.builder("slow").latency(1.0, Duration.ofSeconds(2)).clockAndScheduler(clock).build();
        long start = clock.nanoTime();

        assertThat(chaos.execute(() -> "eventually")).isEqualTo("eventually");

        assertThat(clock.nanoTime() - start).isEqualTo(Duration.ofSeconds(2).toNanos());
    }

    @Test
    void asyncLatencyDelaysTheStartWithoutBlocking() {
        Chaos chaos = Chaos.builder("slow").latency(1.0, Duration.ofSeconds(2)).clockAndScheduler(clock).build();

        CompletionStage<String> stage = chaos.executeAsync(() -> CompletableFuture.completedFuture("late"));

        assertThat(stage.toCompletableFuture()).isNotDone();
        clock.advance(Duration.ofSeconds(2));
        assertThat(stage.toCompletableFuture()).isCompletedWithValue("late");
    }

    @Test
    void disabledChaosPassesEveryCallThrough() {
        Chaos chaos = Chaos.builder("off").exception(1.0, () -> new IOException("never")).clockAndScheduler(clock).build();

        chaos.disable();

        assertThat(run(chaos, 100)).containsOnly("real");
        chaos.enable();
        assertThat(run(chaos, 1)).containsOnly("threw never");
    }

    @Test
    void probabilitiesOutsideZeroToOneAreRefused() {
        assertThatThrownBy(() -> Chaos.builder("c").exception(1.5, IOException::new).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("chaos 'c': exceptionProbability must be in [0.0, 1.0], was 1.5");
    }
}
