package dev.bulwark.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A health check that throws, even an Error, before or while running, is an UNHEALTHY result: never a stuck run. */
class HealthCheckFailureTest {

    private final ManualClock clock = new ManualClock();
    private final HealthMonitor monitor = HealthMonitor.builder("app").clockAndScheduler(clock).executor(Runnable::run)
            .build();

    @Test
    void anAsyncCheckThrowingBeforeReturningAStageIsUnhealthyAndRunsAgainOnTime() {
        AtomicInteger runs = new AtomicInteger();
        monitor.register(HealthCheck.async("queue", () -> {
            runs.incrementAndGet();
            throw new AssertionError("check broke");
        }).withInterval(Duration.ofSeconds(10)));

        CompletableFuture<HealthCheck.Result> now = monitor.runNow("queue").toCompletableFuture();
        monitor.start();
        clock.advance(Duration.ofSeconds(25));

        assertThat(now).isDone();
        assertThat(now.join().status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(now.join().message()).contains("AssertionError: check broke");
        assertThat(runs).as("runNow, at start, after 10 s and 20 s").hasValue(4);
    }

    @Test
    void aBlockingCheckThrowingAnErrorIsUnhealthy() {
        monitor.register(HealthCheck.ofFinding("db", () -> {
            throw new AssertionError("check broke");
        }));

        CompletableFuture<HealthCheck.Result> now = monitor.runNow("db").toCompletableFuture();

        assertThat(now).isDone();
        assertThat(now.join().status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(now.join().message()).contains("check broke");
    }
}
