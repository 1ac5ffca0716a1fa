package dev.bulwark.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResourceMonitorTest {

    private final ManualClock clock = new ManualClock();

    private ResourceMonitor.Config.Builder builder() {
        return ResourceMonitor.builder("app").clockAndScheduler(clock).systemReadings(false);
    }

    @Test
    void thresholdsDefaultToTheSeedsPerType() {
        ResourceMonitor monitor = builder().gauge(ResourceType.API_QUOTA, () -> 75).gauge(ResourceType.MEMORY, () -> 75)
                .gauge(ResourceType.CPU, () -> 90).gauge(ResourceType.of("k8s_pod"), () -> 96).build();

        assertThat(monitor.check(ResourceType.API_QUOTA).status()).as("70 / 90").isEqualTo(ResourceMonitor.Status.WARNING);
        assertThat(monitor.check(ResourceType.MEMORY).status()).as("80 / 95").isEqualTo(ResourceMonitor.Status.HEALTHY);
        assertThat(monitor.check(ResourceType.CPU).status()).as("85 / 98").isEqualTo(ResourceMonitor.Status.WARNING);
        assertThat(monitor.check(ResourceType.of("k8s_pod")).status()).isEqualTo(ResourceMonitor.Status.CRITICAL);
    }

    @Test
    void quotasArePerKeyOverASlidingWindow() {
        ResourceMonitor monitor = builder().quota(ResourceType.API_QUOTA, 1_000, Duration.ofHours(1)).build();

        monitor.recordUsage(ResourceType.API_QUOTA, "marketing", 700);
        assertThat(monitor.check(ResourceType.API_QUOTA, "marketing").status()).isEqualTo(ResourceMonitor.Status.WARNING);
        monitor.recordUsage(ResourceType.API_QUOTA, "marketing", 250);
        assertThat(monitor.canUse(ResourceType.API_QUOTA, "marketing")).isFalse();
        monitor.recordUsage(ResourceType.API_QUOTA, "marketing", 50);
        ResourceMonitor.Reading spent = monitor.check(ResourceType.API_QUOTA, "marketing");

        assertThat(spent.status()).isEqualTo(ResourceMonitor.Status.EXHAUSTED);
        assertThat(spent.usagePercent()).isEqualTo(100.0);
        assertThat(monitor.check(ResourceType.API_QUOTA, "sales").status()).isEqualTo(ResourceMonitor.Status.HEALTHY);
        clock.advance(Duration.ofMinutes(61));
        assertThat(monitor.check(ResourceType.API_QUOTA, "marketing").status()).isEqualTo(ResourceMonitor.Status.HEALTHY);
    }

    @Test
    void aCriticalResourceOffersItsFirstUsableAlternative() {
        ResourceMonitor monitor = builder().quota(ResourceType.API_QUOTA, 100, Duration.ofHours(1))
                .alternatives(ResourceType.API_QUOTA, "model-a", List.of("model-b", "model-c")).build();
        monitor.recordUsage(ResourceType.API_QUOTA, "model-a", 95);
        monitor.recordUsage(ResourceType.API_QUOTA, "model-b", 92);

        assertThat(monitor.canUse(ResourceType.API_QUOTA, "model-a")).isFalse();
        assertThat(monitor.alternative(ResourceType.API_QUOTA, "model-a")).contains("model-c");
        monitor.recordUsage(ResourceType.API_QUOTA, "model-c", 100);
        assertThat(monitor.alternative(ResourceType.API_QUOTA, "model-a")).isEmpty();
    }

    @Test
    void gaugeReadingsAreCachedForTheInterval() {
        AtomicInteger reads = new AtomicInteger();
        ResourceMonitor monitor = builder().gauge(ResourceType.DATABASE, () -> reads.incrementAndGet() * 10).build();

        assertThat(monitor.check(ResourceType.DATABASE).usagePercent()).isEqualTo(10.0);
        clock.advance(Duration.ofSeconds(4));
        assertThat(monitor.check(ResourceType.DATABASE).usagePercent()).isEqualTo(10.0);
        clock.advance(Duration.ofSeconds(1));
        assertThat(monitor.check(ResourceType.DATABASE).usagePercent()).isEqualTo(20.0);
        assertThat(reads).hasValue(2);
    }

    @Test
    void statusChangesAreEventsAndTheReportCoversThePeriod() {
        double[] usage = {50};
        ResourceMonitor monitor = builder().gauge(ResourceType.DATABASE, () -> usage[0])
                .readingCacheInterval(Duration.ZERO).build();
        List<ResourceMonitor.Event> events = new CopyOnWriteArrayList<>();
        monitor.subscribe(events::add);

        monitor.check(ResourceType.DATABASE);
        usage[0] = 97;
        monitor.check(ResourceType.DATABASE);
        clock.advance(Duration.ofHours(2));
        usage[0] = 60;
        monitor.check(ResourceType.DATABASE);

        assertThat(events).containsExactly(
                new ResourceMonitor.Event.StatusChanged("app", ResourceType.DATABASE, "", ResourceMonitor.Status.HEALTHY, ResourceMonitor.Status.CRITICAL, 97),
                new ResourceMonitor.Event.StatusChanged("app", ResourceType.DATABASE, "", ResourceMonitor.Status.CRITICAL, ResourceMonitor.Status.HEALTHY, 60));
        ResourceMonitor.Report day = monitor.report(Duration.ofHours(24));
        assertThat(day.resources().get("database")).isEqualTo(new ResourceMonitor.Report.Entry(3, 97, 60, ResourceMonitor.Status.CRITICAL));
        assertThat(day.period()).isEqualTo(Duration.ofHours(24));
        assertThat(monitor.report(Duration.ofDays(3)).period()).as("at most 24 h").isEqualTo(Duration.ofHours(24));
        ResourceMonitor.Report lastHour = monitor.report(Duration.ofHours(1));
        assertThat(lastHour.period()).isEqualTo(Duration.ofHours(1));
        assertThat(lastHour.resources().get("database")).isEqualTo(new ResourceMonitor.Report.Entry(1, 60, 60, ResourceMonitor.Status.HEALTHY));
    }

    @Test
    void theJvmReadingsAreBuiltIn() {
        ResourceMonitor monitor = ResourceMonitor.builder("jvm").clockAndScheduler(clock).build();

        assertThat(monitor.check(ResourceType.MEMORY).usagePercent()).isBetween(0.0, 100.0);
        assertThat(monitor.check(ResourceType.DISK).usagePercent()).isBetween(0.0, 100.0);
        assertThat(monitor.check(ResourceType.CPU).usagePercent()).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void badUseIsRefusedClearly() {
        ResourceMonitor monitor = builder().quota(ResourceType.API_QUOTA, 10, Duration.ofMinutes(1)).build();

        assertThatThrownBy(() -> monitor.check(ResourceType.DATABASE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no quota or gauge for 'database'");
        assertThatThrownBy(() -> monitor.recordUsage(ResourceType.API_QUOTA, "x", -5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("amount must be a finite number >= 0, was -5.0");
        assertThatThrownBy(() -> builder().thresholds(ResourceType.CPU, 90, 80)).isInstanceOf(ConfigException.class)
                .hasMessage("resource monitor 'app': cpu.critical must be in (90.0, 100.0], was 80.0");
    }
}
