package dev.bulwark.health;

import dev.bulwark.internal.BoundedHistory;
import dev.bulwark.internal.Futures;
import dev.bulwark.internal.Outcomes;
import dev.bulwark.internal.PolicySupport;
import dev.bulwark.time.Scheduler;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** The health monitor. Each check reschedules itself after each run, so runs of one check never overlap. */
final class DefaultHealthMonitor extends PolicySupport<HealthMonitor.Event> implements HealthMonitor {
    private static final System.Logger LOG = System.getLogger("dev.bulwark.health");

    /** One registered check and what it has found. */
    private static final class Slot {
        final HealthCheck check;
        final BoundedHistory<HealthCheck.Result> history;
        volatile HealthCheck.@Nullable Result latest;
        volatile Scheduler.@Nullable Cancellable next;

        Slot(HealthCheck check, int historySize) {
            this.check = check;
            this.history = new BoundedHistory<>(historySize);
        }
    }

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<?>> running = ConcurrentHashMap.newKeySet();
    private final HealthMonitor.Config config;
    private final int historySize;
    private final Duration gracePeriod;
    private final @Nullable Consumer<HealthCheck.Result> alert;
    private final Scheduler scheduler;
    private final Executor executor;
    private final @Nullable ExecutorService ownedExecutor;
    private volatile boolean started;
    private volatile boolean stopped;
    private volatile HealthStatus aggregate = HealthStatus.HEALTHY;
    private final CompletableFuture<HealthMonitor.Event.Stopped> stopping = new CompletableFuture<>();

    DefaultHealthMonitor(HealthMonitor.Config config) {
        super("health monitor", config.name(), config.clock());
        this.config = config;
        this.historySize = config.historySize();
        this.gracePeriod = config.gracePeriod();
        this.alert = config.alert();
        this.scheduler = config.scheduler();
        Executor given = config.executor();
        if (given != null) {
            this.executor = given;
            this.ownedExecutor = null;
        } else {
            this.ownedExecutor = Futures.daemonPool("bulwark-health-" + config.name());
            this.executor = ownedExecutor;
        }
    }

    private Duration intervalOf(HealthCheck check) {
        Duration own = check.interval();
        return own != null ? own : config.checkInterval();
    }

    @Override
    public HealthMonitor.Config config() {
        return config;
    }

    @Override
    public void register(HealthCheck check) {
        Slot slot = new Slot(check, historySize);
        if (slots.putIfAbsent(check.name(), slot) != null) {
            throw new IllegalArgumentException("health monitor '" + name() + "' has a check '" + check.name() + "' already");
        }
        if (started && !stopped) {
            scheduleRun(slot, Duration.ZERO);
        }
    }

    @Override
    public boolean unregister(String check) {
        Slot slot = slots.remove(check);
        if (slot == null) {
            return false;
        }
        Scheduler.Cancellable next = slot.next;
        if (next != null) {
            next.cancel();
        }
        recomputeAggregate();
        return true;
    }

    @Override
    public synchronized void start() {
        if (started || stopped) {
            return;
        }
        started = true;
        slots.values().forEach(slot -> scheduleRun(slot, Duration.ZERO));
    }

    private void scheduleRun(Slot slot, Duration delay) {
        slot.next = scheduler.schedule(delay, () -> {
            if (!stopped && slots.get(slot.check.name()) == slot) {
                run(slot).whenComplete((result, error) -> {
                    if (!stopped && slots.get(slot.check.name()) == slot) {
                        scheduleRun(slot, intervalOf(slot.check));
                    }
                });
            }
        });
    }

    private CompletableFuture<HealthCheck.Result> run(Slot slot) {
        HealthCheck check = slot.check;
        long start = clock().nanoTime();
        CompletableFuture<HealthCheck.Finding> finding = check.blocking()
                ? Futures.onExecutor(executor, () -> check.probe().get().toCompletableFuture().join())
                : startSafely(check);
        running.add(finding);
        Scheduler.Cancellable timer = scheduler.schedule(check.timeout(), () -> {
            if (finding.completeExceptionally(new TimeoutException("timed out after " + check.timeout().toMillis() + " ms"))) {
                finding.cancel(true);
            }
        });
        return finding.handle((found, error) -> {
            timer.cancel();
            running.remove(finding);
            Duration took = Duration.ofNanos(clock().nanoTime() - start);
            HealthCheck.Result result = error == null
                    ? new HealthCheck.Result(check.name(), found.status(), found.message(), found.details(), clock().wallMillis(), took)
                    : new HealthCheck.Result(check.name(), HealthStatus.UNHEALTHY, describe(Outcomes.unwrap(error)), Map.of(),
                            clock().wallMillis(), took);
            record(slot, result);
            return result;
        });
    }

    private static CompletableFuture<HealthCheck.Finding> startSafely(HealthCheck check) {
        try {
            return check.probe().get().toCompletableFuture();
        } catch (Throwable failure) { // an Error too: the run must still end, and the check be scheduled again
            return CompletableFuture.failedFuture(failure);
        }
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private void record(Slot slot, HealthCheck.Result result) {
        HealthCheck.Result before = slot.latest;
        slot.history.add(result);
        slot.latest = result;
        HealthStatus from = before == null ? HealthStatus.HEALTHY : before.status();
        if (from != result.status()) {
            publish(new HealthMonitor.Event.CheckChanged(name(), from, result.status(), result));
            if (alert != null) {
                try {
                    alert.accept(result);
                } catch (RuntimeException failure) {
                    LOG.log(Level.WARNING, "alert callback of health monitor '" + name() + "' threw", failure);
                }
            }
        }
        recomputeAggregate();
    }

    private synchronized void recomputeAggregate() {
        HealthStatus now = HealthStatus.HEALTHY;
        for (Slot slot : slots.values()) {
            HealthCheck.Result latest = slot.latest;
            if (latest != null && latest.status() != HealthStatus.HEALTHY) {
                now = now.worst(slot.check.critical() || latest.status() == HealthStatus.DEGRADED
                        ? latest.status() : HealthStatus.DEGRADED);
            }
        }
        HealthStatus before = aggregate;
        if (before != now) {
            aggregate = now;
            publish(new HealthMonitor.Event.AggregateChanged(name(), before, now));
        }
    }

    @Override
    public CompletionStage<HealthMonitor.Event.Stopped> stop() {
        synchronized (this) {
            if (stopped) {
                return stopping;
            }
            stopped = true;
        }
        slots.values().forEach(slot -> {
            Scheduler.Cancellable next = slot.next;
            if (next != null) {
                next.cancel();
            }
        });
        List<CompletableFuture<?>> inFlight = new ArrayList<>(running);
        if (inFlight.isEmpty()) {
            finishStop(0, 0);
        } else {
            // phase 1: let running checks finish; phase 2: cancel (interrupt) whatever is left
            CompletableFuture<Void> all = CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new));
            Scheduler.Cancellable force = scheduler.schedule(gracePeriod, () -> {
                int cancelled = 0;
                for (CompletableFuture<?> check : inFlight) {
                    cancelled += check.cancel(true) ? 1 : 0;
                }
                finishStop(inFlight.size() - cancelled, cancelled);
            });
            all.whenComplete((done, error) -> {
                if (!stopping.isDone() && inFlight.stream().noneMatch(CompletableFuture::isCancelled)) {
                    force.cancel();
                    finishStop(inFlight.size(), 0);
                }
            });
        }
        return stopping;
    }

    private void finishStop(int finished, int cancelled) {
        HealthMonitor.Event.Stopped event = new HealthMonitor.Event.Stopped(name(), finished, cancelled);
        if (stopping.complete(event)) {
            if (ownedExecutor != null) {
                ownedExecutor.shutdownNow();
            }
            publish(event);
        }
    }

    @Override
    public CompletionStage<HealthCheck.Result> runNow(String check) {
        Slot slot = slots.get(check);
        if (slot == null) {
            throw new NoSuchElementException("health monitor '" + name() + "' has no check '" + check + "'; known: "
                    + slots.keySet());
        }
        return run(slot);
    }

    @Override
    public CompletionStage<HealthMonitor.Report> runAllNow() {
        List<CompletableFuture<HealthCheck.Result>> runs = new ArrayList<>();
        slots.values().forEach(slot -> runs.add(run(slot)));
        return CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).thenApply(done -> report());
    }

    @Override
    public HealthStatus status() {
        return aggregate;
    }

    @Override
    public Optional<HealthCheck.Result> latest(String check) {
        Slot slot = slots.get(check);
        return slot == null ? Optional.empty() : Optional.ofNullable(slot.latest);
    }

    @Override
    public List<HealthCheck.Result> history(String check) {
        Slot slot = slots.get(check);
        if (slot == null) {
            return List.of();
        }
        return slot.history.snapshot();
    }

    @Override
    public HealthMonitor.Report report() {
        Map<String, HealthCheck.Result> latest = new LinkedHashMap<>();
        slots.forEach((checkName, slot) -> {
            HealthCheck.Result result = slot.latest;
            if (result != null) {
                latest.put(checkName, result);
            }
        });
        return new HealthMonitor.Report(aggregate, latest);
    }

    @Override
    public String toString() {
        return "HealthMonitor[" + name() + ", " + aggregate + ", checks=" + slots.keySet() + "]";
    }
}
