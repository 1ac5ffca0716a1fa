package dev.bulwark.health;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.Registry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The built-in checks behind {@link HealthCheck#heap()} and its peers. Thresholds follow the resource monitor's defaults: memory 80 % used is DEGRADED and 95 %
 * UNHEALTHY, CPU 85 % and 98 % (applied here to load average per core), disk like memory.
 */
final class HealthChecks {
    private HealthChecks() {
    }

    /** Heap used against the maximum: DEGRADED from 80 %, UNHEALTHY from 95 %. */
    static HealthCheck heap() {
        return HealthCheck.ofFinding("heap", () -> {
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
            return byUsage("heap", heap.getUsed() * 100.0 / max, 80, 95).with("usedBytes", heap.getUsed()).with("maxBytes", max);
        });
    }

    /** System load average per core: DEGRADED from 85 %, UNHEALTHY from 98 %; HEALTHY when the platform cannot tell. */
    static HealthCheck cpuLoad() {
        return HealthCheck.ofFinding("cpu", () -> {
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            int cores = Runtime.getRuntime().availableProcessors();
            if (load < 0) {
                return HealthCheck.Finding.healthy("load average not available on this platform");
            }
            return byUsage("cpu load", load * 100.0 / cores, 85, 98).with("loadAverage", load).with("cores", cores);
        });
    }

    /** Space used on the file store holding {@code path}: DEGRADED from 80 %, UNHEALTHY from 95 %. */
    static HealthCheck diskSpace(Path path) {
        return HealthCheck.ofFinding("disk", () -> {
            try {
                FileStore store = Files.getFileStore(path);
                long total = store.getTotalSpace();
                long usable = store.getUsableSpace();
                double usedPercent = total == 0 ? 0 : (total - usable) * 100.0 / total;
                return byUsage("disk " + path, usedPercent, 80, 95).with("usableBytes", usable).with("totalBytes", total);
            } catch (IOException unreadable) {
                return HealthCheck.Finding.unhealthy("cannot read the file store of " + path + ": " + unreadable.getMessage());
            }
        });
    }

    /** The registry's circuit breakers: DEGRADED while any is open or forced open, naming them. */
    static HealthCheck circuitBreakers(Registry registry) {
        return HealthCheck.ofFinding("circuit-breakers", () -> {
            List<String> open = registry.all(CircuitBreaker.class).stream()
                    .filter(breaker -> breaker.state().rejectsCalls()).map(CircuitBreaker::name).toList();
            int total = registry.all(CircuitBreaker.class).size();
            return (open.isEmpty() ? HealthCheck.Finding.healthy("all " + total + " circuits let calls through")
                    : HealthCheck.Finding.degraded("open circuits: " + String.join(", ", open)))
                    .with("open", open.size()).with("total", total);
        });
    }

    private static HealthCheck.Finding byUsage(String what, double usedPercent, double degradedAt, double unhealthyAt) {
        String message = String.format(Locale.ROOT, "%s at %.1f%%", what, usedPercent);
        HealthCheck.Finding finding = usedPercent >= unhealthyAt ? HealthCheck.Finding.unhealthy(message)
                : usedPercent >= degradedAt ? HealthCheck.Finding.degraded(message)
                : HealthCheck.Finding.healthy(message);
        return finding.with("usedPercent", Math.round(usedPercent * 10) / 10.0);
    }
}
