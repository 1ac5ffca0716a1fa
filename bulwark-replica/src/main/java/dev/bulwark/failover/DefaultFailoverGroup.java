package dev.bulwark.failover;

import dev.bulwark.internal.BoundedHistory;
import dev.bulwark.internal.PolicySupport;
import dev.bulwark.time.Scheduler;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The failover group. State changes happen under one lock; the provisioner (user code) is only ever called
 * outside it. A generation number makes late provisioning results from an abandoned plan harmless: they
 * are terminated instead of installed.
 */
final class DefaultFailoverGroup<T> extends PolicySupport<FailoverGroup.Event> implements FailoverGroup<T> {
    private static final System.Logger LOG = System.getLogger("dev.bulwark.failover");

    private final FailoverGroup.Config<T> settings;
    private final Provisioner<T> provisioner;
    private final ReentrantLock lock = new ReentrantLock();
    private final BoundedHistory<FailoverGroup.Switch> history;
    private volatile T current;
    private volatile @Nullable T standby;
    private volatile boolean standbyReady;
    private volatile FailoverGroup.ControlMode mode = FailoverGroup.ControlMode.OFF;
    private @Nullable CompletableFuture<T> provisioning; // guarded by lock
    private @Nullable CompletableFuture<FailoverGroup.Switch> failingOver; // guarded by lock
    private long generation; // guarded by lock

    DefaultFailoverGroup(FailoverGroup.Config<T> settings) {
        super("failover group", settings.name(), settings.clock());
        this.settings = settings;
        this.history = new BoundedHistory<>(settings.historySize());
        this.provisioner = settings.provisioner();
        this.current = settings.primary();
    }

    @Override
    public FailoverGroup.Config<T> config() {
        return settings;
    }

    @Override
    public T current() {
        return current;
    }

    @Override
    public Optional<T> standby() {
        return Optional.ofNullable(standby);
    }

    @Override
    public boolean standbyReady() {
        return standbyReady;
    }

    @Override
    public FailoverGroup.ControlMode mode() {
        return mode;
    }

    // ---- modes ----

    @Override
    public void enableAuto() {
        switchMode(FailoverGroup.ControlMode.AUTO, FailoverGroup.ControlMode.MANUAL, "cannot enable auto mode while manual mode is active");
    }

    @Override
    public void disableAuto() {
        lock.lock();
        try {
            if (mode == FailoverGroup.ControlMode.AUTO) {
                setMode(FailoverGroup.ControlMode.OFF);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletionStage<T> enableManual() {
        switchMode(FailoverGroup.ControlMode.MANUAL, FailoverGroup.ControlMode.AUTO, "cannot enable manual mode while auto mode is active");
        return ensureStandby("manual mode keeps a hot standby");
    }

    private void switchMode(FailoverGroup.ControlMode wanted, FailoverGroup.ControlMode excluded, String refusal) {
        lock.lock();
        try {
            if (mode == excluded) {
                throw new IllegalStateException("failover group '" + name() + "': " + refusal);
            }
            if (mode != wanted) {
                setMode(wanted);
            }
        } finally {
            lock.unlock();
        }
    }

    private void setMode(FailoverGroup.ControlMode next) {
        FailoverGroup.ControlMode previous = mode;
        mode = next;
        publish(new FailoverGroup.Event.ModeChanged(name(), previous, next));
    }

    @Override
    public CompletionStage<Void> disableManual() {
        T released;
        CompletableFuture<T> abandoned;
        lock.lock();
        try {
            if (mode != FailoverGroup.ControlMode.MANUAL) {
                return CompletableFuture.completedFuture(null);
            }
            setMode(FailoverGroup.ControlMode.OFF);
            generation++;
            released = standby;
            abandoned = provisioning;
            standby = null;
            standbyReady = false;
            provisioning = null;
        } finally {
            lock.unlock();
        }
        if (abandoned != null) {
            abandoned.thenAccept(this::terminateReporting); // it will be stale: give it back when it arrives
        }
        return released == null ? CompletableFuture.completedFuture(null) : terminate(released);
    }

    /** The provisioner's termination of {@code instance}; a provisioner that throws (or returns null) fails the stage. */
    private CompletableFuture<Void> terminate(T instance) {
        try {
            CompletionStage<Void> stage = provisioner.terminate(instance);
            return stage != null ? stage.toCompletableFuture()
                    : CompletableFuture.failedFuture(new NullPointerException("terminate returned null instead of a stage"));
        } catch (Throwable failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }

    /**
     * Terminates an instance nobody waits for (stale or lost): a failure is published and logged, never thrown, so
     * that it cannot keep the stage in hand from completing.
     */
    private void terminateReporting(T instance) {
        terminate(instance).whenComplete((done, error) -> {
            if (error != null) {
                publish(new FailoverGroup.Event.Failed(name(), "terminating " + instance + " failed: " + error));
                LOG.log(Level.WARNING, () -> "failover group '" + name() + "': terminating " + instance + " failed", error);
            }
        });
    }

    // ---- standby ----

    /** Starts provisioning a standby unless one exists or is on its way; completes with the ready standby. */
    private CompletableFuture<T> ensureStandby(String reason) {
        long plan;
        lock.lock();
        try {
            T existing = standby;
            if (existing != null) {
                return CompletableFuture.completedFuture(existing);
            }
            if (provisioning != null) {
                return provisioning;
            }
            provisioning = new CompletableFuture<>();
            plan = generation;
        } finally {
            lock.unlock();
        }
        CompletableFuture<T> result = provisioning;
        long started = clock().nanoTime();
        createReady(reason).whenComplete((instance, error) -> {
            if (error != null) {
                abandon(plan, result, error);
                return;
            }
            boolean installed;
            lock.lock();
            try {
                installed = plan == generation && provisioning == result;
                if (installed) {
                    standby = instance;
                    standbyReady = true;
                    provisioning = null;
                }
            } finally {
                lock.unlock();
            }
            if (installed) {
                publish(new FailoverGroup.Event.StandbyReady(name(), clock().nanoTime() - started));
            } else {
                terminateReporting(instance);
            }
            result.complete(instance);
        });
        return result;
    }

    private void abandon(long plan, CompletableFuture<T> result, Throwable error) {
        lock.lock();
        try {
            if (plan == generation && provisioning == result) {
                provisioning = null;
            }
        } finally {
            lock.unlock();
        }
        publish(new FailoverGroup.Event.Failed(name(), "standby could not be provisioned: " + error));
        result.completeExceptionally(error);
    }

    private CompletableFuture<T> createReady(String reason) {
        try {
            return provisioner.create(reason).thenCompose(instance -> provisioner.ready(instance).thenApply(done -> instance))
                    .toCompletableFuture();
        } catch (Throwable failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }

    // ---- signals ----

    @Override
    public double earlyWarning(FailoverGroup.RiskFactors factors) {
        java.util.function.ToDoubleFunction<FailoverGroup.RiskFactors> model = settings.riskModel();
        double risk = model != null ? model.applyAsDouble(factors)
                : factors.score(settings.historyWeight(), settings.ageWeight(), settings.volatilityWeight());
        boolean provision = mode == FailoverGroup.ControlMode.AUTO && risk >= settings.riskThreshold() && standby == null;
        publish(new FailoverGroup.Event.RiskAssessed(name(), risk, provision));
        if (provision) {
            ensureStandby(String.format(java.util.Locale.ROOT, "risk %.2f >= %.2f", risk, settings.riskThreshold()));
        }
        return risk;
    }

    @Override
    public CompletionStage<FailoverGroup.Switch> imminentLoss() {
        return failover("imminent loss of the primary");
    }

    @Override
    public CompletionStage<FailoverGroup.Switch> healthFailure() {
        return failover("primary failed its health check");
    }

    private CompletableFuture<FailoverGroup.Switch> failover(String reason) {
        long started = clock().nanoTime();
        CompletableFuture<FailoverGroup.Switch> outcome;
        T lost;
        T promoted = null;
        lock.lock();
        try {
            if (mode == FailoverGroup.ControlMode.OFF) {
                publish(new FailoverGroup.Event.Failed(name(), reason + ": failover is off, nothing done"));
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "failover group '" + name() + "' is OFF: " + reason + " reported, nothing done"));
            }
            if (failingOver != null) {
                return failingOver; // one failover at a time: concurrent signals share it
            }
            outcome = new CompletableFuture<>();
            failingOver = outcome;
            lost = current;
            if (standbyReady && standby != null) {
                promoted = standby;
                install(promoted);
            }
        } finally {
            lock.unlock();
        }
        if (promoted != null) {
            finish(outcome, FailoverGroup.Switch.Kind.PROMOTED, started, reason, lost);
            return outcome;
        }
        Scheduler.Cancellable grace = settings.scheduler().schedule(settings.terminationGracePeriod(), () -> {
            if (outcome.completeExceptionally(new TimeoutException("emergency recovery exceeded the "
                    + settings.terminationGracePeriod().toSeconds() + " s grace period"))) {
                publish(new FailoverGroup.Event.Failed(name(), reason + ": emergency recovery exceeded the grace period"));
                clearFailover(outcome);
            }
        });
        ensureStandby("emergency recovery: " + reason)
                .thenCompose(replacement -> provisioner.restore(lost, replacement).thenApply(done -> replacement))
                .whenComplete((replacement, error) -> {
                    grace.cancel();
                    if (error != null) {
                        publish(new FailoverGroup.Event.Failed(name(), reason + ": emergency recovery failed: " + error));
                        clearFailover(outcome);
                        outcome.completeExceptionally(error);
                        return;
                    }
                    lock.lock();
                    try {
                        if (standby == replacement) {
                            install(replacement);
                        }
                    } finally {
                        lock.unlock();
                    }
                    finish(outcome, FailoverGroup.Switch.Kind.EMERGENCY_RECOVERY, started, reason, lost);
                });
        return outcome;
    }

    /** Makes {@code next} the primary; guarded by lock. */
    private void install(T next) {
        current = next;
        standby = null;
        standbyReady = false;
        generation++;
    }

    private void finish(CompletableFuture<FailoverGroup.Switch> outcome, FailoverGroup.Switch.Kind kind, long started, String reason,
                        T lost) {
        FailoverGroup.Switch record = new FailoverGroup.Switch(kind, Duration.ofNanos(clock().nanoTime() - started),
                clock().wallMillis(), reason);
        remember(record);
        clearFailover(outcome);
        publish(new FailoverGroup.Event.Switched(name(), record));
        LOG.log(Level.WARNING, () -> "failover group '" + name() + "': " + kind + " after " + reason);
        terminateReporting(lost);
        outcome.complete(record);
        if (mode == FailoverGroup.ControlMode.MANUAL) {
            ensureStandby("manual mode keeps a hot standby");
        }
    }

    private void clearFailover(CompletableFuture<FailoverGroup.Switch> outcome) {
        lock.lock();
        try {
            if (failingOver == outcome) {
                failingOver = null;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletionStage<FailoverGroup.Switch> manualSwitch() {
        long started = clock().nanoTime();
        T lost;
        lock.lock();
        try {
            if (mode != FailoverGroup.ControlMode.MANUAL) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "failover group '" + name() + "': manual switch needs manual mode, mode is " + mode));
            }
            T next = standby;
            if (!standbyReady || next == null) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "failover group '" + name() + "': the standby is not ready yet"));
            }
            lost = current;
            install(next);
        } finally {
            lock.unlock();
        }
        CompletableFuture<FailoverGroup.Switch> outcome = new CompletableFuture<>();
        finish(outcome, FailoverGroup.Switch.Kind.MANUAL_SWITCH, started, "manual switch", lost);
        return outcome;
    }

    private void remember(FailoverGroup.Switch record) {
        history.add(record);
    }

    @Override
    public List<FailoverGroup.Switch> history() {
        return history.snapshot();
    }

    @Override
    public String toString() {
        return "FailoverGroup[" + name() + ", " + mode + ", current=" + current + "]";
    }
}
