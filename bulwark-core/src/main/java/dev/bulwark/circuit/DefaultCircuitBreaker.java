package dev.bulwark.circuit;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.event.EventSource;
import dev.bulwark.internal.Futures;
import dev.bulwark.internal.LatencySamples;
import dev.bulwark.internal.Outcomes;
import dev.bulwark.internal.VarHandles;
import dev.bulwark.internal.listeners.Listeners;
import dev.bulwark.time.Clock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The circuit breaker. The state is one immutable-identity {@link Phase} behind an atomic reference;
 * transitions are compare-and-set, so concurrent callers agree on every change without a lock.
 * Recording is in {@link OutcomeRecorder}; this class admits calls and runs them.
 */
final class DefaultCircuitBreaker implements CircuitBreaker {

    final CircuitBreakerConfig config;
    final String name;
    final Clock clock;
    final StateMachine machine;
    final OutcomeRecorder recorder;
    /** Start and end of each call are read only when latencies or slow calls are judged. */
    private final boolean timed;
    /** The end of each call is read when timed or when the window is time-based. */
    private final boolean needsEndTime;
    private final boolean judgesResults;

    DefaultCircuitBreaker(CircuitBreakerConfig config) {
        this.config = config;
        this.name = config.name();
        this.clock = config.clock();
        this.timed = config.timesCalls();
        this.needsEndTime = timed || config.windowType() == CircuitBreakerConfig.WindowType.TIME_BASED;
        this.judgesResults = config.recordResult() != BreakerSettings.NO_RESULT_IS_A_FAILURE;
        Listeners<CircuitBreaker.Event> listeners = new Listeners<>("circuit '" + name + "'");
        LatencySamples latencies = config.trackLatency() ? new LatencySamples(config.latencySamples()) : null;
        this.machine = new StateMachine(config, listeners, latencies);
        this.recorder = new OutcomeRecorder(config, machine, latencies);
    }

    /** A breaker with {@code config} starting in {@code previous}'s state (see {@link CircuitBreaker#continuing}). */
    DefaultCircuitBreaker(CircuitBreakerConfig config, DefaultCircuitBreaker previous) {
        this(config);
        previous.machine.state(); // lets an expired open or half-open period move on first
        recorder.carried(machine.startFrom(previous.machine.current(), previous.clock.nanoTime()));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CircuitBreakerConfig config() {
        return config;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    // ---- running calls ----

    @Override
    public <T> T intercept(ExecutionContext context, ContextualSupplier<T> call, Chain next) throws Exception {
        Phase phase = machine.admit();
        if (phase == null) {
            throw machine.rejection();
        }
        if (phase.state == CircuitBreaker.State.DISABLED) {
            return next.proceed(context, call);
        }
        long start = timed ? clock.coarseNanoTime() : 0L;
        T result;
        try {
            result = next.proceed(context, call);
        } catch (Throwable failure) {
            recordThrowable(phase, start, failure);
            throw failure;
        }
        recordReturn(phase, start, result);
        return result;
    }

    @Override
    public <T> CompletionStage<T> interceptAsync(ExecutionContext context, AsyncSupplier<T> call, Chain next) {
        Phase phase = machine.admit();
        if (phase == null) {
            return CompletableFuture.failedFuture(machine.rejection());
        }
        if (phase.state == CircuitBreaker.State.DISABLED) {
            return next.proceedAsync(context, call);
        }
        long start = timed ? clock.coarseNanoTime() : 0L;
        CompletionStage<T> inner = next.proceedAsync(context, call);
        GuardedCall<T> outer = new GuardedCall<>(phase, start, inner);
        inner.whenComplete(outer);
        return outer;
    }

    /**
     * One asynchronous call the breaker let through: its outcome and the callback that records the inner call's,
     * in one object. The outcome is recorded once: when the inner call ends or, if the caller cancels first, as a
     * released permission.
     */
    private final class GuardedCall<T> extends CompletableFuture<T> implements BiConsumer<T, Throwable> {
        private static final VarHandle SETTLED = VarHandles.field(MethodHandles.lookup(), "settled", boolean.class);

        private final Phase phase;
        private final long start;
        private final CompletionStage<T> inner;
        @SuppressWarnings("unused") // through SETTLED
        private volatile boolean settled;

        GuardedCall(Phase phase, long start, CompletionStage<T> inner) {
            this.phase = phase;
            this.start = start;
            this.inner = inner;
        }

        private boolean settle() {
            return SETTLED.compareAndSet(this, false, true);
        }

        /** The inner call ended. */
        @Override
        public void accept(@Nullable T value, @Nullable Throwable error) {
            if (settle()) {
                try {
                    if (error == null) {
                        recordReturn(phase, start, value);
                    } else {
                        recordThrowable(phase, start, Outcomes.unwrap(error));
                    }
                } catch (Throwable predicateFailure) {
                    completeExceptionally(predicateFailure);
                    return;
                }
            }
            Futures.relay(this, value, error);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (isCancelled()) {
                if (settle()) {
                    recorder.release(phase);
                }
                inner.toCompletableFuture().cancel(true);
            }
            return cancelled;
        }
    }

    /** Records a returned value; a result predicate that throws frees the call's permission and propagates. */
    private void recordReturn(Phase phase, long start, @Nullable Object result) {
        long end = needsEndTime ? clock.coarseNanoTime() : 0L;
        long duration = timed ? end - start : -1L;
        if (judgesResults && judgeResult(phase, result)) {
            recorder.failure(phase, duration, end, null);
        } else {
            recorder.success(phase, duration, end);
        }
    }

    private boolean judgeResult(Phase phase, @Nullable Object result) {
        try {
            return config.recordResult().test(result);
        } catch (Throwable predicateFailure) {
            recorder.release(phase);
            throw predicateFailure;
        }
    }

    private void recordThrowable(Phase phase, long start, Throwable failure) {
        if (Outcomes.isCancellation(failure)) {
            recorder.release(phase);
            return;
        }
        long end = needsEndTime ? clock.coarseNanoTime() : 0L;
        recorder.error(phase, timed ? end - start : -1L, end, failure);
    }

    // ---- manual use ----

    @Override
    public boolean tryAcquirePermission() {
        return machine.admit() != null;
    }

    @Override
    public void acquirePermission() {
        if (machine.admit() == null) {
            throw machine.rejection();
        }
    }

    @Override
    public void releasePermission() {
        recorder.release(machine.current());
    }

    @Override
    public void onSuccess(long durationNanos) {
        recorder.success(machine.current(), durationNanos, endOf(durationNanos));
    }

    @Override
    public void onError(long durationNanos, Throwable error) {
        if (Outcomes.isCancellation(error)) {
            recorder.release(machine.current());
        } else {
            recorder.error(machine.current(), durationNanos, endOf(durationNanos), error);
        }
    }

    @Override
    public void onResult(long durationNanos, Object result) {
        if (judgesResults && judgeResult(machine.current(), result)) {
            recorder.failure(machine.current(), durationNanos, endOf(durationNanos), null);
        } else {
            recorder.success(machine.current(), durationNanos, endOf(durationNanos));
        }
    }

    private long endOf(long durationNanos) {
        return needsEndTime || durationNanos >= 0 ? clock.coarseNanoTime() : 0L;
    }

    // ---- operator control and observation ----

    @Override
    public CircuitBreaker.State state() {
        return machine.state();
    }

    @Override
    public void trip() {
        machine.trip();
    }

    @Override
    public void reset() {
        machine.reset();
        recorder.resetLearning();
    }

    @Override
    public void forceOpen() {
        machine.hold(CircuitBreaker.State.FORCED_OPEN, CircuitBreaker.TransitionReason.FORCED_OPEN);
    }

    @Override
    public boolean adoptOpen(Duration openFor) {
        if (openFor.isZero() || openFor.isNegative()) {
            throw new IllegalArgumentException("circuit '" + name + "': openFor must be > 0, was " + openFor);
        }
        return machine.adoptOpen(openFor.toNanos());
    }

    @Override
    public boolean adoptClosed() {
        return machine.adoptClosed();
    }

    @Override
    public void disable() {
        machine.hold(CircuitBreaker.State.DISABLED, CircuitBreaker.TransitionReason.DISABLED);
    }

    @Override
    public void metricsOnly() {
        machine.hold(CircuitBreaker.State.METRICS_ONLY, CircuitBreaker.TransitionReason.METRICS_ONLY);
    }

    @Override
    public int cleanup() {
        return machine.cleanup();
    }

    @Override
    public Duration currentRecoveryTimeout() {
        return Duration.ofNanos(machine.nextOpenNanos());
    }

    @Override
    public CircuitBreaker.Stats stats() {
        return recorder.stats();
    }

    @Override
    public EventSource.Subscription subscribe(Consumer<? super CircuitBreaker.Event> listener) {
        return machine.listeners.add(listener)::run;
    }

    @Override
    public long listenerFailures() {
        return machine.listeners.failures();
    }

    @Override
    public String toString() {
        return "CircuitBreaker[" + name + ", " + machine.current().state + "]";
    }
}
