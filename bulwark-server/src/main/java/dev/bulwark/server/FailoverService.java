package dev.bulwark.server;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.EventSource;
import dev.bulwark.event.Registry;
import dev.bulwark.failover.FailoverGroup;
import dev.bulwark.health.HealthCheck;
import dev.bulwark.health.HealthMonitor;
import dev.bulwark.health.HealthStatus;
import dev.bulwark.server.events.GatewayEvent;
import dev.bulwark.store.FailoverLog;
import dev.bulwark.store.JdbcStore;
import dev.bulwark.time.Clock;
import dev.bulwark.yaml.ReplicaSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The failover groups of the gateway's backends: each routes one adapter's calls to its current target. The
 * adapter's circuit opening is an imminent-loss signal (the ready standby is promoted, or one is recovered within
 * the grace period); after a switch the adapter's breaker starts afresh on the new target. Every switch, failed
 * failover and standby is recorded in the store when there is one. Groups are built at start; a reload keeps them.
 */
final class FailoverService implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FailoverService.class.getName());

    /** One group with what the gateway keeps beside it. */
    static final class Managed {
        final ReplicaSettings.FailoverGroupSettings settings;
        final FailoverGroup<URI> group;
        final BackendProvisioner provisioner;
        final AtomicReference<URI> lastServing;
        volatile @Nullable CircuitBreaker watched;
        volatile EventSource.@Nullable Subscription watching;

        Managed(ReplicaSettings.FailoverGroupSettings settings, FailoverGroup<URI> group, BackendProvisioner provisioner) {
            this.settings = settings;
            this.group = group;
            this.provisioner = provisioner;
            this.lastServing = new AtomicReference<>(group.current());
        }
    }

    private final Map<String, Managed> byName = new LinkedHashMap<>();
    private final Map<String, Managed> byAdapter = new LinkedHashMap<>();
    private final @Nullable FailoverLog log;
    private final Consumer<GatewayEvent> events;
    private volatile @Nullable MeterRegistry meters;

    private FailoverService(@Nullable FailoverLog log, Consumer<GatewayEvent> events) {
        this.log = log;
        this.events = events;
    }

    /**
     * Serves each group's figures on {@code registry}: {@code bulwark_failover_standby_ready{group}} (1 when a ready
     * standby waits), {@code bulwark_failover_switches_total{group, kind}} (kind {@code promotion},
     * {@code emergency_recovery}, {@code manual_switch} or {@code failed}).
     */
    void bindMetrics(MeterRegistry registry) {
        meters = registry;
        byName.forEach((name, managed) -> Gauge.builder("bulwark.failover.standby.ready", managed.group,
                group -> group.standbyReady() ? 1 : 0).tag("group", name)
                .description("1 while a failover group has a ready standby, else 0").register(registry));
    }

    private void count(String group, String kind) {
        MeterRegistry registry = meters;
        if (registry != null) {
            Counter.builder("bulwark.failover.switches").tag("group", group).tag("kind", kind)
                    .description("Failover switches of a group, by kind").register(registry).increment();
        }
    }

    /**
     * Builds the groups; their switches, failures, ready standbys and signals go to {@code events} as
     * {@link GatewayEvent.Failover}s.
     */
    static FailoverService start(List<ReplicaSettings.FailoverGroupSettings> groups, @Nullable JdbcStore store,
                                 HttpClient client, Registry registry, Consumer<GatewayEvent> events) {
        FailoverService service = new FailoverService(store == null ? null : store.failovers(), events);
        for (ReplicaSettings.FailoverGroupSettings settings : groups) {
            FailoverGroup.Config<URI> config = settings.group();
            List<URI> targets = new ArrayList<>();
            targets.add(settings.primary());
            targets.addAll(settings.standbys());
            BackendProvisioner provisioner = new BackendProvisioner(settings.name(), targets, client, settings.healthPath(),
                    settings.readyTimeout(), service.log, config.clock());
            FailoverGroup<URI> group = FailoverGroup.builder(settings.name(), settings.primary(), provisioner)
                    .riskThreshold(config.riskThreshold())
                    .riskWeights(config.historyWeight(), config.ageWeight(), config.volatilityWeight())
                    .terminationGracePeriod(config.terminationGracePeriod()).historySize(config.historySize())
                    .clock(config.clock()).scheduler(config.scheduler()).build();
            provisioner.serving(group::current);
            Managed managed = new Managed(settings, group, provisioner);
            group.subscribe(event -> service.recordEvent(managed, event));
            registry.replace(group);
            service.byName.put(settings.name(), managed);
            service.byAdapter.put(settings.adapter(), managed);
            switch (settings.mode()) {
                case AUTO -> group.enableAuto();
                case MANUAL -> group.enableManual().whenComplete((standby, error) -> {
                    if (error != null) {
                        LOG.log(System.Logger.Level.WARNING, "failover group '" + settings.name()
                                + "': manual mode has no standby yet: " + error);
                    }
                });
                case OFF -> {
                }
            }
        }
        return service;
    }

    /** Where the calls of {@code adapter} go now, or null when it is not a group's. */
    @Nullable Supplier<URI> route(String adapter) {
        Managed managed = byAdapter.get(adapter);
        return managed == null ? null : managed.group::current;
    }

    /** Listens to each grouped adapter's breaker (again after a reload built a new one): its opening is a loss signal. */
    void watch(Map<String, CircuitBreaker> breakers) {
        byAdapter.forEach((adapter, managed) -> {
            CircuitBreaker breaker = breakers.get(adapter);
            if (breaker == null || breaker == managed.watched) {
                return;
            }
            EventSource.Subscription previous = managed.watching;
            if (previous != null) {
                previous.cancel();
            }
            managed.watched = breaker;
            managed.watching = breaker.subscribe(event -> {
                if (event instanceof CircuitBreaker.Event.StateTransition transition
                        && transition.to() == CircuitBreaker.State.OPEN && managed.group.mode() != FailoverGroup.ControlMode.OFF) {
                    signalled(managed, "termination", "the circuit of adapter '" + adapter + "' opened");
                    managed.group.healthFailure().whenComplete((done, error) -> {
                        if (error == null) {
                            breaker.reset();
                        }
                    });
                }
            });
        });
    }

    /**
     * Registers each group's health check on {@code monitor} ({@code failover-<group>}: the serving target answers
     * its health check; not critical, so a failing one degrades the gateway's health) and treats a check turning
     * UNHEALTHY as a loss signal.
     */
    void watchHealth(HealthMonitor monitor) {
        Map<String, Managed> byCheck = new LinkedHashMap<>();
        byName.forEach((name, managed) -> {
            String check = "failover-" + name;
            byCheck.put(check, managed);
            monitor.register(HealthCheck.async(check, () -> {
                URI serving = managed.group.current();
                return managed.provisioner.check(serving).thenApply(problem -> problem == null
                        ? HealthCheck.Finding.healthy(serving + " answers its health check")
                        : HealthCheck.Finding.unhealthy(serving + " " + problem));
            }));
        });
        if (byCheck.isEmpty()) {
            return;
        }
        monitor.subscribe(event -> {
            if (event instanceof HealthMonitor.Event.CheckChanged changed && changed.to() == HealthStatus.UNHEALTHY) {
                Managed managed = byCheck.get(changed.result().check());
                if (managed != null && managed.group.mode() != FailoverGroup.ControlMode.OFF) {
                    signalled(managed, "termination", "health check " + changed.result().check() + " failed: "
                            + changed.result().message());
                    managed.group.healthFailure();
                }
            }
        });
    }

    @Nullable Managed group(String name) {
        return byName.get(name);
    }

    List<String> names() {
        return List.copyOf(byName.keySet());
    }

    @Nullable FailoverLog log() {
        return log;
    }

    /** A loss or rebalance signal reached {@code managed}: a {@code failover_signal} event. */
    void signalled(Managed managed, String signal, String reason) {
        URI serving = managed.group.current();
        URI standby = managed.group.standby().orElse(null);
        publish(new GatewayEvent.Failover("failover_signal", managed.settings.name(), "", serving.toString(),
                standby == null ? "" : standby.toString(), signal + ": " + reason, 0, wallMillis(managed)));
    }

    private static long wallMillis(Managed managed) {
        return managed.settings.group().clock().wallMillis();
    }

    private void publish(GatewayEvent event) {
        try {
            events.accept(event);
        } catch (RuntimeException failed) {
            LOG.log(System.Logger.Level.WARNING, "could not publish " + event + ": " + failed);
        }
    }

    private void recordEvent(Managed managed, FailoverGroup.Event event) {
        String name = managed.settings.name();
        if (event instanceof FailoverGroup.Event.Switched switched) {
            URI to = managed.group.current();
            URI from = managed.lastServing.getAndSet(to);
            managed.provisioner.promoted(to);
            FailoverGroup.Switch record = switched.record();
            count(name, kind(record.kind()));
            store(new FailoverLog.Switch(name, kind(record.kind()), record.reason(), from.toString(),
                    to.toString(), record.wallMillis() - record.duration().toMillis(), record.duration().toMillis(), true));
            publish(new GatewayEvent.Failover("failover_switch", name, kind(record.kind()), from.toString(), to.toString(),
                    record.reason(), record.duration().toMillis(), record.wallMillis()));
        } else if (event instanceof FailoverGroup.Event.Failed failed) {
            URI serving = managed.group.current();
            count(name, "failed");
            store(new FailoverLog.Switch(name, "failed", failed.reason(), serving.toString(),
                    serving.toString(), wallMillis(managed), 0, false));
            publish(new GatewayEvent.Failover("failover_failed", name, "", serving.toString(), serving.toString(),
                    failed.reason(), 0, wallMillis(managed)));
        } else if (event instanceof FailoverGroup.Event.StandbyReady ready) {
            URI standby = managed.group.standby().orElse(null);
            publish(new GatewayEvent.Failover("failover_standby_ready", name, "", managed.group.current().toString(),
                    standby == null ? "" : standby.toString(), "the standby passed its health check",
                    java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(ready.readyNanos()), wallMillis(managed)));
        } else if (event instanceof FailoverGroup.Event.RiskAssessed assessed) {
            signalled(managed, "rebalance", String.format(Locale.ROOT, "risk %.2f against the threshold %.2f%s",
                    assessed.risk(), managed.group.config().riskThreshold(),
                    assessed.provisioning() ? ", warming a standby" : ""));
        }
    }

    private void store(FailoverLog.Switch entry) {
        FailoverLog target = log;
        if (target == null) {
            return;
        }
        try {
            target.record(entry);
        } catch (RuntimeException storeFailed) {
            LOG.log(System.Logger.Level.WARNING, "could not record " + entry + ": " + storeFailed);
        }
    }

    static String kind(FailoverGroup.Switch.Kind kind) {
        return switch (kind) {
            case PROMOTED -> "promotion";
            case EMERGENCY_RECOVERY -> "emergency_recovery";
            case MANUAL_SWITCH -> "manual_switch";
        };
    }

    /** The group's status: mode, serving target, standby and its state, the last failovers with their durations. */
    Map<String, Object> status(Managed managed) {
        FailoverGroup<URI> group = managed.group;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("group", managed.settings.name());
        out.put("adapter", managed.settings.adapter());
        out.put("mode", group.mode().name().toLowerCase(Locale.ROOT));
        out.put("current", group.current().toString());
        out.put("primary", managed.settings.primary().toString());
        URI standby = group.standby().orElse(null);
        Map<String, Object> standbyView = new LinkedHashMap<>();
        standbyView.put("target", standby == null ? null : standby.toString());
        standbyView.put("state", standby == null ? "none" : group.standbyReady() ? "ready" : "provisioning");
        out.put("standby", standbyView);
        out.put("risk_threshold", group.config().riskThreshold());
        out.put("termination_grace_period_s", group.config().terminationGracePeriod().toSeconds());
        List<Map<String, Object>> last = new ArrayList<>();
        if (log != null) {
            for (FailoverLog.Switch entry : log.recent(managed.settings.name(), 10)) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("kind", entry.kind());
                one.put("reason", entry.reason());
                one.put("from", entry.from());
                one.put("to", entry.to());
                one.put("at", java.time.Instant.ofEpochMilli(entry.atMillis()).toString());
                one.put("duration_ms", entry.durationMillis());
                one.put("success", entry.success());
                last.add(one);
            }
        } else {
            List<FailoverGroup.Switch> history = group.history();
            for (int i = history.size() - 1; i >= 0 && last.size() < 10; i--) {
                FailoverGroup.Switch entry = history.get(i);
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("kind", kind(entry.kind()));
                one.put("reason", entry.reason());
                one.put("at", java.time.Instant.ofEpochMilli(entry.wallMillis()).toString());
                one.put("duration_ms", entry.duration().toMillis());
                one.put("success", true);
                last.add(one);
            }
        }
        out.put("last_failovers", last);
        return out;
    }

    @Override
    public void close() {
        for (Managed managed : byName.values()) {
            EventSource.Subscription watching = managed.watching;
            if (watching != null) {
                watching.cancel();
            }
        }
    }
}
