package dev.bulwark.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.Registry;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthMonitorTest {

    private final ManualClock clock = new ManualClock();
    private final List<HealthCheck.Result> alerts = new CopyOnWriteArrayList<>();
    private final List<HealthMonitor.Event> events = new CopyOnWriteArrayList<>();

    private HealthMonitor monitor() {
        HealthMonitor monitor = HealthMonitor.builder("app").clockAndScheduler(clock).executor(Runnable::run)
                .historySize(5).alert(alerts::add).build();
        monitor.subscribe(events::add);
        return monitor;
    }

    @Test
    void checksRunAtTheirIntervalsOnTheScheduler() {
        HealthMonitor monitor = monitor();
        AtomicInteger runs = new AtomicInteger();
        monitor.register(HealthCheck.of("db", () -> runs.incrementAndGet() > 0).withInterval(Duration.ofSeconds(10)));

        monitor.start();
        clock.runDueTasks();
        assertThat(runs).hasValue(1);
        clock.advance(Duration.ofSeconds(35));

        assertThat(runs).hasValue(4);
        assertThat(monitor.latest("db")).get().extracting(HealthCheck.Result::status).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void aCheckWithoutAnIntervalOfItsOwnRunsAtTheMonitorsCheckInterval() {
        HealthMonitor monitor = HealthMonitor.builder("app").clockAndScheduler(clock).executor(Runnable::run)
                .checkInterval(Duration.ofSeconds(5)).build();
        AtomicInteger shared = new AtomicInteger();
        AtomicInteger own = new AtomicInteger();
        monitor.register(HealthCheck.of("shared", () -> shared.incrementAndGet() > 0));
        monitor.register(HealthCheck.of("own", () -> own.incrementAndGet() > 0).withInterval(Duration.ofSeconds(20)));

        monitor.start();
        clock.runDueTasks();
        clock.advance(Duration.ofSeconds(20));

        assertThat(shared).as("at 0, 5, 10, 15, 20 s").hasValue(5);
        assertThat(own).as("at 0 and 20 s").hasValue(2);
        monitor.stop();
    }

    @Test
    void aCriticalFailureMakesTheSystemUnhealthyAndANonCriticalOneDegraded() {
        HealthMonitor monitor = monitor();
        AtomicBoolean dbUp = new AtomicBoolean(true);
        AtomicBoolean cacheUp = new AtomicBoolean(true);
        monitor.register(HealthCheck.of("db", dbUp::get).asCritical());
        monitor.register(HealthCheck.of("cache", cacheUp::get));

        cacheUp.set(false);
        monitor.runAllNow();
        assertThat(monitor.status()).isEqualTo(HealthStatus.DEGRADED);
        dbUp.set(false);
        monitor.runAllNow();
        assertThat(monitor.status()).isEqualTo(HealthStatus.UNHEALTHY);
        dbUp.set(true);
        cacheUp.set(true);
        monitor.runAllNow();

        assertThat(monitor.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(events).filteredOn(HealthMonitor.Event.AggregateChanged.class::isInstance)
                .extracting(event -> ((HealthMonitor.Event.AggregateChanged) event).to())
                .containsExactly(HealthStatus.DEGRADED, HealthStatus.UNHEALTHY, HealthStatus.HEALTHY);
    }

    @Test
    void alertsFireOnChangesOnly() {
        HealthMonitor monitor = monitor();
        AtomicBoolean up = new AtomicBoolean(false);
        monitor.register(HealthCheck.of("api", up::get).asCritical());

        for (int i = 0; i < 3; i++) {
            monitor.runNow("api");
        }
        up.set(true);
        monitor.runNow("api");
        monitor.runNow("api");

        assertThat(alerts).extracting(HealthCheck.Result::status).containsExactly(HealthStatus.UNHEALTHY, HealthStatus.HEALTHY);
    }

    @Test
    void aCheckThatThrowsOrOverrunsItsTimeoutIsUnhealthy() {
        HealthMonitor monitor = monitor();
        monitor.register(HealthCheck.ofFinding("broken", () -> {
            throw new IOException("connection refused");
        }));
        monitor.register(HealthCheck.async("hanging", CompletableFuture::new).withTimeout(Duration.ofSeconds(2)));

        HealthCheck.Result broken = monitor.runNow("broken").toCompletableFuture().join();
        CompletableFuture<HealthCheck.Result> hanging = monitor.runNow("hanging").toCompletableFuture();
        clock.advance(Duration.ofSeconds(2));

        assertThat(broken.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(broken.message()).contains("IOException: connection refused");
        assertThat(hanging.join().message()).isEqualTo("TimeoutException: timed out after 2000 ms");
        assertThat(hanging.join().duration()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void historyIsBounded() {
        HealthMonitor monitor = monitor();
        monitor.register(HealthCheck.of("db", () -> true));

        for (int i = 0; i < 20; i++) {
            monitor.runNow("db");
        }

        assertThat(monitor.history("db")).hasSize(5);
    }

    @Test
    void stopLetsRunningChecksFinishThenCancelsTheRestAndLeavesNoTask() {
        HealthMonitor monitor = monitor();
        CompletableFuture<HealthCheck.Finding> slow = new CompletableFuture<>();
        monitor.register(HealthCheck.async("slow", () -> slow).withTimeout(Duration.ofMinutes(1)));
        monitor.register(HealthCheck.async("stuck", CompletableFuture::new).withTimeout(Duration.ofMinutes(1)));
        monitor.start();
        clock.runDueTasks();

        CompletableFuture<HealthMonitor.Event.Stopped> stopped = monitor.stop().toCompletableFuture();
        slow.complete(HealthCheck.Finding.healthy("made it"));
        assertThat(stopped).isNotDone();
        clock.advance(Duration.ofSeconds(5));

        assertThat(stopped).isCompletedWithValue(new HealthMonitor.Event.Stopped("app", 1, 1));
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void aStoppedMonitorWithNothingRunningStopsAtOnce() {
        HealthMonitor monitor = monitor();
        monitor.register(HealthCheck.of("db", () -> true));
        monitor.start();
        clock.runDueTasks();

        assertThat(monitor.stop().toCompletableFuture()).isCompletedWithValue(new HealthMonitor.Event.Stopped("app", 0, 0));
        clock.advance(Duration.ofMinutes(5));
        assertThat(monitor.history("db")).hasSize(1);
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void builtInChecksReportFigures(@TempDir Path dir) {
        Registry registry = new Registry();
        registry.register(CircuitBreaker.builder("payments").clock(clock).build()).trip();
        registry.register(CircuitBreaker.builder("search").clock(clock).build());
        HealthMonitor monitor = monitor();
        monitor.register(HealthCheck.heap());
        monitor.register(HealthCheck.cpuLoad());
        monitor.register(HealthCheck.diskSpace(dir));
        monitor.register(HealthCheck.circuitBreakers(registry));

        HealthMonitor.Report report = monitor.runAllNow().toCompletableFuture().join();

        assertThat(report.checks()).containsKeys("heap", "cpu", "disk", "circuit-breakers");
        assertThat(report.checks().get("heap").details()).containsKeys("usedPercent", "maxBytes");
        assertThat(report.checks().get("disk").details()).containsKey("usableBytes");
        HealthCheck.Result circuits = report.checks().get("circuit-breakers");
        assertThat(circuits.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(circuits.message()).isEqualTo("open circuits: payments");
    }

    @Test
    void unknownChecksAndDuplicatesAreRefused() {
        HealthMonitor monitor = monitor();
        monitor.register(HealthCheck.of("db", () -> true));

        assertThatThrownBy(() -> monitor.register(HealthCheck.of("db", () -> true)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has a check 'db' already");
        assertThatThrownBy(() -> monitor.runNow("nope")).isInstanceOf(NoSuchElementException.class)
                .hasMessage("health monitor 'app' has no check 'nope'; known: [db]");
    }
}
