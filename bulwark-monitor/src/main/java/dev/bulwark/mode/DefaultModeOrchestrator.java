package dev.bulwark.mode;

import dev.bulwark.event.Registry;
import dev.bulwark.event.EventSource;
import dev.bulwark.health.HealthStatus;
import dev.bulwark.internal.BoundedHistory;
import dev.bulwark.internal.PolicySupport;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The orchestrator. Recording goes to striped counters; decisions happen under one lock in
 * {@link #evaluate()}, at most once per evaluation interval from the recording path.
 */
final class DefaultModeOrchestrator extends PolicySupport<ModeOrchestrator.Event> implements ModeOrchestrator {
    private static final System.Logger LOG = System.getLogger("dev.bulwark.mode");

    private final ModeOrchestrator.Config config;
    private final Signals signals;
    private final long intervalNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final BoundedHistory<ModeChange> history;
    private final Condition changed = lock.newCondition();
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private volatile Mode mode = Mode.NORMAL;
    private volatile @Nullable ModeChange notification;
    private volatile long lastEvaluation;
    private volatile dev.bulwark.time.Scheduler.@Nullable Cancellable ticking;
    private volatile boolean running;

    // guarded by lock
    private long cooldownUntil;
    private boolean recovering;
    private long holdUntil;

    private record Waiter(Mode mode, CompletableFuture<ModeChange> future) {
    }


    DefaultModeOrchestrator(ModeOrchestrator.Config config) {
        super("mode orchestrator", config.name(), config.clock());
        this.config = config;
        this.history = new BoundedHistory<>(config.historySize());
        long now = config.clock().nanoTime();
        this.signals = new Signals(config, now);
        this.intervalNanos = config.evaluationInterval().toNanos();
        this.cooldownUntil = now;
        this.lastEvaluation = now;
    }

    @Override
    public ModeOrchestrator.Config config() {
        return config;
    }

    // ---- feeding ----

    @Override
    public void recordSuccess(long latencyNanos) {
        record(false, latencyNanos);
    }

    @Override
    public void recordFailure(long latencyNanos) {
        record(true, latencyNanos);
    }

    private void record(boolean failed, long latencyNanos) {
        long now = clock().coarseNanoTime();
        signals.record(now, failed, latencyNanos);
        if (now - lastEvaluation >= intervalNanos) {
            maybeEvaluate(clock().nanoTime()); // decisions and their timestamps on an exact reading
        }
    }

    @Override
    public void reportChannel(String channel, double score) {
        reportChannel(channel, score, config.channelSmoothing());
    }

    /** With {@code smoothing} 1, for channels whose reports are states rather than noisy samples. */
    void reportChannel(String channel, double score, double smoothing) {
        lock.lock();
        try {
            signals.reportChannel(channel, score, smoothing, clock().nanoTime());
        } finally {
            lock.unlock();
        }
        maybeEvaluate(clock().nanoTime());
    }

    @Override
    public void reportResource(String resource, Mode implied) {
        signals.reportResource(resource, implied);
        maybeEvaluate(clock().nanoTime());
    }

    @Override
    public void reportHealth(HealthStatus status) {
        signals.reportHealth(switch (status) {
            case HEALTHY -> Mode.NORMAL;
            case DEGRADED -> Mode.DEGRADED;
            case UNHEALTHY -> Mode.EMERGENCY;
        });
        maybeEvaluate(clock().nanoTime());
    }

    @Override
    public void force(Mode mode, String reason) {
        signals.force(mode, reason);
        evaluate();
    }

    @Override
    public void release() {
        signals.force(null, "");
        evaluate();
    }

    private void maybeEvaluate(long now) {
        if (now - lastEvaluation >= intervalNanos && lock.tryLock()) {
            try {
                evaluateLocked(now);
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public synchronized void start() {
        if (!running) {
            running = true;
            tick();
        }
    }

    private void tick() {
        ticking = config.scheduler().schedule(config.evaluationInterval(), () -> {
            if (running) {
                try {
                    evaluate();
                } finally {
                    tick();
                }
            }
        });
    }

    @Override
    public synchronized void stop() {
        running = false;
        dev.bulwark.time.Scheduler.Cancellable scheduled = ticking;
        if (scheduled != null) {
            scheduled.cancel();
        }
    }

    // ---- deciding ----

    @Override
    public void evaluate() {
        lock.lock();
        try {
            evaluateLocked(clock().nanoTime());
        } finally {
            lock.unlock();
        }
    }

    private void evaluateLocked(long now) {
        lastEvaluation = now;
        Map<String, Double> snapshot = new LinkedHashMap<>();
        Signals.Verdict up = signals.assess(now, 1.0, true, snapshot);
        Mode current = mode;
        if (up.mode().compareTo(current) > 0) {
            recovering = false;
            if (now - cooldownUntil < 0 && up.trigger() != ModeChange.Trigger.MANUAL) {
                publish(new ModeOrchestrator.Event.Held(name(), up.mode(), "cooldown after the last switch", wallAt(now, cooldownUntil)));
                return;
            }
            signals.triggered(up.channels());
            switchTo(up.mode(), up.trigger(), up.reason(), snapshot, now);
            return;
        }
        if (current == Mode.NORMAL) {
            return;
        }
        Signals.Verdict floor = signals.assess(now, config.recoveryMargin(), false, new LinkedHashMap<>());
        if (floor.mode().compareTo(current) >= 0) {
            recovering = false;
            return;
        }
        if (!recovering) {
            recovering = true;
            holdUntil = now + config.recoveryHold().toNanos();
            // the hold delays only the step down, to the later of its end and the cooldown's: it never blocks an
            // escalation, which waits for the cooldown after the last switch alone
            long stepDownAt = holdUntil - cooldownUntil > 0 ? holdUntil : cooldownUntil;
            publish(new ModeOrchestrator.Event.Held(name(), current.oneBetter(), "recovery hold", wallAt(now, stepDownAt)));
        }
        if (now - holdUntil < 0 || now - cooldownUntil < 0) {
            return;
        }
        if (!probePasses()) {
            holdUntil = now + config.recoveryHold().toNanos(); // the probe failed: hold again
            return;
        }
        recovering = false;
        switchTo(current.oneBetter(), ModeChange.Trigger.RECOVERY, String.format(Locale.ROOT,
                "signals stayed %.0f %% inside their thresholds for %d s and the probe passed",
                (1 - config.recoveryMargin()) * 100, config.recoveryHold().toSeconds()), snapshot, now);
    }

    /** The recovery probe's answer; a probe that throws has failed (logged), it never stops the evaluation. */
    private boolean probePasses() {
        try {
            return config.recoveryProbe().getAsBoolean();
        } catch (RuntimeException failure) {
            LOG.log(Level.WARNING, "recovery probe of mode orchestrator '" + name() + "' threw; holding the mode", failure);
            return false;
        }
    }

    private void switchTo(Mode next, ModeChange.Trigger trigger, String reason, Map<String, Double> snapshot, long now) {
        Mode previous = mode;
        ModeChange change = new ModeChange(previous, next, trigger, reason, wallAt(now, now), snapshot);
        history.add(change);
        cooldownUntil = now + config.cooldown().toNanos();
        notification = next == Mode.NORMAL ? null : change;
        mode = next;
        changed.signalAll();
        LOG.log(next.compareTo(previous) > 0 ? Level.WARNING : Level.INFO,
                () -> "mode " + previous + " -> " + next + " (" + trigger + "): " + reason);
        publish(new ModeOrchestrator.Event.Changed(name(), change));
        for (Waiter waiter : waiters) {
            if (next.atLeast(waiter.mode()) && waiters.remove(waiter)) {
                waiter.future().complete(change);
            }
        }
    }

    private long wallAt(long now, long nanos) {
        return clock().wallMillis() + (nanos - now) / 1_000_000L;
    }

    // ---- downstream ----

    @Override
    public Map<String, Double> metrics() {
        Map<String, Double> snapshot = new LinkedHashMap<>();
        lock.lock();
        try {
            signals.assess(clock().nanoTime(), 1.0, true, snapshot);
        } finally {
            lock.unlock();
        }
        return Map.copyOf(snapshot);
    }

    @Override
    public Mode mode() {
        return mode;
    }

    @Override
    public boolean isActive(Mode target) {
        return mode.atLeast(target);
    }

    @Override
    public Optional<ModeChange> notification() {
        return Optional.ofNullable(notification);
    }

    @Override
    public CompletionStage<ModeChange> whenActive(Mode target) {
        CompletableFuture<ModeChange> future = new CompletableFuture<>();
        Waiter waiter = new Waiter(target, future);
        waiters.add(waiter);
        lock.lock();
        try {
            if (mode.atLeast(target) && waiters.remove(waiter)) {
                ModeChange last = history.latest();
                future.complete(last != null ? last
                        : new ModeChange(mode, mode, ModeChange.Trigger.MANUAL, "already active", clock().wallMillis(), Map.of()));
            }
        } finally {
            lock.unlock();
        }
        return future;
    }

    @Override
    public boolean awaitActive(Mode target, Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (!mode.atLeast(target)) {
                if (left <= 0) {
                    return false;
                }
                left = changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<ModeChange> history() {
        return history.snapshot();
    }

    @Override
    public EventSource.Subscription feedFrom(Registry registry) {
        return ModeWiring.feed(this, registry);
    }

    @Override
    public String toString() {
        return "ModeOrchestrator[" + name() + ", " + mode + "]";
    }
}
