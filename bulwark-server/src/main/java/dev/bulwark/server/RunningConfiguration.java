package dev.bulwark.server;

import dev.bulwark.event.Registry;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import dev.bulwark.yaml.GatewayConfig;
import dev.bulwark.yaml.GatewayModes;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a reload replaces: the adapters with their policies, what each mode does to queries, the client quotas and the
 * shutdown timeout; the rest of the gateway is set at start. Installs are serialised; readers see the latest of each.
 */
final class RunningConfiguration {
    private final Registry registry;
    private final EventHandlers events;
    private final BackendClient backends;
    private final TimerWheel timers;
    private final MeterRegistry meters;
    private final Clock timeSource;
    private final Scheduler scheduler;
    private final DeferredQueries deferred;
    private final FailoverService failovers;
    private final @Nullable ClusterServices cluster;

    private volatile AdapterSet adapters;
    private volatile GatewayModes modeSettings;
    private volatile @Nullable QuotaGate quotas;
    private volatile Duration shutdownTimeout;

    /** Installs {@code first}. */
    RunningConfiguration(GatewayConfig first, Registry registry, EventHandlers events, BackendClient backends, TimerWheel timers,
                         MeterRegistry meters, Clock timeSource, Scheduler scheduler, DeferredQueries deferred,
                         FailoverService failovers, @Nullable ClusterServices cluster) {
        this.registry = registry;
        this.events = events;
        this.backends = backends;
        this.timers = timers;
        this.meters = meters;
        this.timeSource = timeSource;
        this.scheduler = scheduler;
        this.deferred = deferred;
        this.failovers = failovers;
        this.cluster = cluster;
        install(first);
    }

    synchronized void install(GatewayConfig settings) {
        // first, so that a handler that cannot be made refuses the configuration before anything changed
        events.configure(settings);
        adapters = AdapterSet.build(settings, adapters, registry, backends, timers, meters, timeSource, deferred,
                failovers::route);
        failovers.watch(adapters.breakers());
        if (cluster != null) {
            cluster.attach(adapters.breakers());
        }
        modeSettings = settings.modes();
        QuotaGate gate = quotas;
        Map<String, dev.bulwark.redis.ClusterRateLimiter> shared = cluster == null ? Map.of()
                : cluster.quotaLimiters(settings.quotas());
        if (settings.quotas() == null) {
            quotas = null;
        } else if (gate == null || !gate.settings().equals(settings.quotas())) {
            quotas = new QuotaGate(settings.quotas(), timeSource, scheduler, shared);
        }
        shutdownTimeout = settings.execution().shutdownTimeout();
    }

    AdapterSet adapters() {
        return adapters;
    }

    GatewayModes modeSettings() {
        return modeSettings;
    }

    @Nullable QuotaGate quotas() {
        return quotas;
    }

    Duration shutdownTimeout() {
        return shutdownTimeout;
    }
}
