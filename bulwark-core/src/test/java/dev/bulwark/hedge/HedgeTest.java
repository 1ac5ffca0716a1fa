package dev.bulwark.hedge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HedgeTest {

    private final ManualClock clock = new ManualClock();
    private final List<CompletableFuture<String>> attempts = new CopyOnWriteArrayList<>();

    private CompletionStage<String> call(Hedge hedge) {
        return hedge.executeAsync(() -> {
            CompletableFuture<String> attempt = new CompletableFuture<>();
            attempts.add(attempt);
            return attempt;
        });
    }

    @Test
    void aSlowCallGetsABackupAndTheFirstSuccessWins() {
        Hedge hedge = Hedge.builder("search", Duration.ofMillis(100)).clockAndScheduler(clock).build();

        CompletionStage<String> stage = call(hedge);
        assertThat(attempts).hasSize(1);
        clock.advance(Duration.ofMillis(100));
        assertThat(attempts).hasSize(2);
        attempts.get(1).complete("backup");

        assertThat(stage.toCompletableFuture()).isCompletedWithValue("backup");
        assertThat(attempts.get(0)).as("the loser is cancelled").isCancelled();
        assertThat(hedge.hedgeWins()).isEqualTo(1);
    }

    @Test
    void aFastCallStartsNoBackup() {
        Hedge hedge = Hedge.builder("search", Duration.ofMillis(100)).clockAndScheduler(clock).build();

        CompletionStage<String> stage = call(hedge);
        attempts.get(0).complete("primary");
        clock.advance(Duration.ofSeconds(1));

        assertThat(stage.toCompletableFuture()).isCompletedWithValue("primary");
        assertThat(attempts).hasSize(1);
        assertThat(hedge.hedgesStarted()).isZero();
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void aFailedAttemptStartsTheNextBackupAtOnceAndTheLastErrorIsReported() {
        Hedge hedge = Hedge.builder("search", Duration.ofSeconds(10)).maxHedges(2).clockAndScheduler(clock).build();

        CompletionStage<String> stage = call(hedge);
        attempts.get(0).completeExceptionally(new IOException("first"));
        assertThat(attempts).hasSize(2);
        attempts.get(1).completeExceptionally(new IOException("second"));
        attempts.get(2).completeExceptionally(new IOException("third"));

        assertThat(stage.handle((value, error) -> error).toCompletableFuture().join())
                .isInstanceOf(IOException.class).hasMessage("third");
    }

    @Test
    void theNumberOfBackupsIsBounded() {
        Hedge hedge = Hedge.builder("search", Duration.ofMillis(10)).maxHedges(2).clockAndScheduler(clock).build();

        call(hedge);
        clock.advance(Duration.ofSeconds(10));

        assertThat(attempts).hasSize(3);
    }

    @Test
    void theDelayFollowsAPercentileOfRecentLatencies() {
        Hedge hedge = Hedge.builder("search", Duration.ofSeconds(1)).delayPercentile(0.9, 10).clockAndScheduler(clock).build();
        for (int i = 1; i <= 10; i++) {
            CompletionStage<String> stage = call(hedge);
            clock.advance(Duration.ofMillis(10L * i));
            attempts.get(attempts.size() - 1).complete("ok");
            assertThat(stage.toCompletableFuture()).isCompleted();
        }

        assertThat(hedge.currentDelay()).isEqualTo(Duration.ofMillis(90));
    }

    @Test
    void synchronousHedgingRunsAttemptsOnTheExecutorAndInterruptsTheLoser() throws Exception {
        ExecutorService executor = Executors.newCachedThreadPool();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Hedge hedge = Hedge.builder("search", Duration.ofMillis(100)).executor(executor).clockAndScheduler(clock).build();
            CountDownLatch primaryStarted = new CountDownLatch(1);
            CountDownLatch primaryInterrupted = new CountDownLatch(1);

            Future<String> result = caller.submit(() -> hedge.executeWithContext(context -> {
                if (context.attempt() == 1) {
                    primaryStarted.countDown();
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        primaryInterrupted.countDown();
                        throw e;
                    }
                }
                return "attempt " + context.attempt();
            }));
            assertThat(primaryStarted.await(10, TimeUnit.SECONDS)).isTrue();
            clock.advance(Duration.ofMillis(100));

            assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("attempt 2");
            assertThat(primaryInterrupted.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            executor.shutdownNow();
            caller.shutdownNow();
        }
    }

    @Test
    void invalidSettingsFailAtBuild() {
        assertThatThrownBy(() -> Hedge.builder("h", Duration.ofMillis(1)).maxHedges(0).build())
                .isInstanceOf(ConfigException.class).hasMessage("hedge 'h': maxHedges must be in [1, 16], was 0");
    }
}
