package dev.bulwark.mode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.event.Registry;
import dev.bulwark.health.HealthCheck;
import dev.bulwark.health.HealthMonitor;
import dev.bulwark.health.HealthStatus;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The README's monitor example, on a manual clock (without the heap check, whose reading the test cannot control): a
 * failing critical check moves the mode downstream code reads.
 */
class ReadmeMonitorExampleTest {
    private final ManualClock clock = new ManualClock();
    private final AtomicInteger active = new AtomicInteger(10);
    private final int max = 100;

    @Test
    void aCriticalCheckFailingMovesTheSystemsMode() {
        Registry registry = new Registry();
        HealthMonitor health = registry.register(HealthMonitor.builder("app")
                .checkInterval(Duration.ofSeconds(10))
                .clockAndScheduler(clock).executor(Runnable::run).build());
        health.register(HealthCheck.of("database", () -> active.get() < max * 0.8).asCritical());
        ModeOrchestrator modes = ModeOrchestrator.builder("system").cooldown(Duration.ofSeconds(30))
                .clockAndScheduler(clock).build();
        modes.feedFrom(registry);
        health.start();
        modes.start();
        clock.runDueTasks();
        assertThat(modes.isActive(Mode.DEGRADED)).as("the pool is fine").isFalse();

        active.set(90);
        clock.advance(Duration.ofSeconds(10));

        assertThat(health.latest("database").orElseThrow().status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(modes.isActive(Mode.DEGRADED)).isTrue();
        assertThat(modes.notification().orElseThrow().trigger()).isEqualTo(ModeChange.Trigger.HEALTH);
        health.stop();
        modes.stop();
    }
}
