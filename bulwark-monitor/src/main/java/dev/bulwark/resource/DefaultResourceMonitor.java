package dev.bulwark.resource;

import dev.bulwark.internal.BoundedHistory;
import dev.bulwark.internal.PolicySupport;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/** The resource monitor: quotas in lock-free windows, cached gauges, bounded history per resource. */
final class DefaultResourceMonitor extends PolicySupport<ResourceMonitor.Event> implements ResourceMonitor {
    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

    /** A gauge with its cached reading. */
    private static final class CachedGauge {
        final DoubleSupplier source;
        volatile long readAtNanos;
        volatile double percent = Double.NaN;

        CachedGauge(DoubleSupplier source) {
            this.source = source;
        }
    }

    private final ResourceMonitor.Config settings;
    private final long cacheNanos;
    private final Map<ResourceType, CachedGauge> gauges = new ConcurrentHashMap<>();
    private final Map<String, UsageWindow> windows = new ConcurrentHashMap<>();
    private final Map<String, ResourceMonitor.Status> statuses = new ConcurrentHashMap<>();
    private final Map<String, BoundedHistory<ResourceMonitor.Reading>> history = new ConcurrentHashMap<>();

    DefaultResourceMonitor(ResourceMonitor.Config settings) {
        super("resource monitor", settings.name(), settings.clock());
        this.settings = settings;
        this.cacheNanos = settings.readingCacheInterval().toNanos();
        if (settings.systemReadings()) {
            gauges.put(ResourceType.MEMORY, new CachedGauge(DefaultResourceMonitor::heapPercent));
            gauges.put(ResourceType.CPU, new CachedGauge(DefaultResourceMonitor::cpuPercent));
            gauges.put(ResourceType.DISK, new CachedGauge(DefaultResourceMonitor::diskPercent));
        }
        settings.gauges().forEach((type, source) -> gauges.put(type, new CachedGauge(source)));
    }

    @Override
    public ResourceMonitor.Config config() {
        return settings;
    }

    @Override
    public ResourceMonitor.Reading check(ResourceType type, String key) {
        double percent = usage(type, key);
        ResourceMonitor.Thresholds thresholds = settings.thresholds().getOrDefault(type,
                new ResourceMonitor.Thresholds(type.defaultWarning(), type.defaultCritical()));
        ResourceMonitor.Status status = percent >= 100 ? ResourceMonitor.Status.EXHAUSTED
                : percent >= thresholds.critical() ? ResourceMonitor.Status.CRITICAL
                : percent >= thresholds.warning() ? ResourceMonitor.Status.WARNING : ResourceMonitor.Status.HEALTHY;
        ResourceMonitor.Reading check = new ResourceMonitor.Reading(type, key, status, percent, clock().wallMillis());
        remember(check);
        return check;
    }

    private double usage(ResourceType type, String key) {
        ResourceMonitor.Quota quota = quotaOf(type, key);
        if (quota != null) {
            UsageWindow window = windows.get(type.name() + "/" + key);
            return window == null ? 0 : window.used(clock().nanoTime()) * 100 / quota.limit();
        }
        CachedGauge gauge = gauges.get(type);
        if (gauge == null) {
            throw new IllegalArgumentException("resource monitor '" + name() + "' has no quota or gauge for '" + type
                    + "'; known: quotas " + settings.quotas().keySet() + ", gauges " + gauges.keySet());
        }
        long now = clock().nanoTime();
        if (Double.isNaN(gauge.percent) || now - gauge.readAtNanos >= cacheNanos) {
            gauge.percent = gauge.source.getAsDouble();
            gauge.readAtNanos = now;
        }
        return gauge.percent;
    }

    private ResourceMonitor.@org.jspecify.annotations.Nullable Quota quotaOf(ResourceType type, String key) {
        ResourceMonitor.Quota specific = settings.keyQuotas().get(type.name() + "/" + key);
        return specific != null ? specific : settings.quotas().get(type);
    }

    @Override
    public void recordUsage(ResourceType type, String key, double amount) {
        if (!(amount >= 0) || Double.isInfinite(amount)) {
            throw new IllegalArgumentException("amount must be a finite number >= 0, was " + amount);
        }
        ResourceMonitor.Quota quota = quotaOf(type, key);
        if (quota == null) {
            throw new IllegalArgumentException("resource monitor '" + name() + "' has no quota for '" + type + "'");
        }
        windows.computeIfAbsent(type.name() + "/" + key,
                k -> new UsageWindow(quota.window().toNanos(), clock().nanoTime())).add(clock().nanoTime(), amount);
    }

    @Override
    public Optional<String> alternative(ResourceType type, String key) {
        for (String candidate : settings.alternatives().getOrDefault(type.name() + "/" + key, List.of())) {
            if (canUse(type, candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private void remember(ResourceMonitor.Reading check) {
        String id = check.type().name() + (check.key().isEmpty() ? "" : "/" + check.key());
        ResourceMonitor.Status before = statuses.put(id, check.status());
        if (before != null && before != check.status()) {
            publish(new ResourceMonitor.Event.StatusChanged(name(), check.type(), check.key(), before, check.status(),
                    check.usagePercent()));
        }
        history.computeIfAbsent(id, k -> new BoundedHistory<>(settings.historySize(), DAY_MILLIS, 0L, check.wallMillis()))
                .add(check, check.wallMillis());
    }

    @Override
    public ResourceMonitor.Report report(Duration period) {
        long span = Math.min(period.toMillis(), DAY_MILLIS);
        long since = clock().wallMillis() - span;
        Map<String, ResourceMonitor.Report.Entry> entries = new HashMap<>();
        history.forEach((id, readings) -> {
            int count = 0;
            double peak = 0;
            double latest = 0;
            ResourceMonitor.Status worst = ResourceMonitor.Status.HEALTHY;
            for (ResourceMonitor.Reading check : readings.snapshot()) {
                if (check.wallMillis() >= since) {
                    count++;
                    peak = Math.max(peak, check.usagePercent());
                    latest = check.usagePercent();
                    worst = check.status().compareTo(worst) > 0 ? check.status() : worst;
                }
            }
            if (count > 0) {
                entries.put(id, new ResourceMonitor.Report.Entry(count, peak, latest, worst));
            }
        });
        return new ResourceMonitor.Report(Duration.ofMillis(span), entries);
    }

    private static double heapPercent() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        return heap.getUsed() * 100.0 / max;
    }

    private static double cpuPercent() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? 0 : load * 100 / Runtime.getRuntime().availableProcessors();
    }

    private static double diskPercent() {
        try {
            FileStore store = Files.getFileStore(Path.of("."));
            long total = store.getTotalSpace();
            return total == 0 ? 0 : (total - store.getUsableSpace()) * 100.0 / total;
        } catch (java.io.IOException unreadable) {
            return 0;
        }
    }

    @Override
    public String toString() {
        return "ResourceMonitor[" + name() + "]";
    }
}
