package dev.bulwark.timeout;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.ContextPropagator;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.internal.Futures;
import dev.bulwark.internal.Outcomes;
import dev.bulwark.internal.PolicySupport;
import dev.bulwark.internal.VarHandles;
import dev.bulwark.time.Scheduler;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/** The timeout. Both paths arm one scheduler task that cancels the work; whichever finishes first wins. */
final class DefaultTimeout extends PolicySupport<Timeout.Event> implements Timeout {
    private final Duration timeout;
    private final long timeoutNanos;
    private final TimeoutConfig config;
    private final ExecutorService executor;
    private final Scheduler scheduler;
    /** How long a timed-out synchronous call waits for its interrupted work to end; zero: not at all. */
    private final Duration waitForInterruptedWork;
    private final LongAdder timedOut = new LongAdder();

    // in-place states: the call runs; it ended first; the alarm won and is interrupting; the interrupt has landed
    private static final int RUNNING = 0;
    private static final int ENDED = 1;
    private static final int INTERRUPTING = 2;
    private static final int INTERRUPTED = 3;

    DefaultTimeout(TimeoutConfig config) {
        super("timeout", config.name(), config.clock());
        this.config = config;
        this.waitForInterruptedWork = config.waitForInterruptedWork();
        this.timeout = config.timeout();
        this.timeoutNanos = timeout.toNanos();
        this.executor = config.executor();
        this.scheduler = config.scheduler();
    }

    @Override
    public TimeoutConfig config() {
        return config;
    }

    @Override
    public <T> T intercept(ExecutionContext context, ContextualSupplier<T> call, Chain next) throws Exception {
        long now = clock().nanoTime();
        long allowed = allowedNanos(context, now);
        ExecutionContext inner = context.withDeadline(now + allowed);
        if (config.inPlace()) {
            return interceptInPlace(inner, call, next, allowed);
        }
        CompletableFuture<T> outcome = new CompletableFuture<>();
        AtomicBoolean settled = new AtomicBoolean();
        FutureTask<Void> work = new FutureTask<>(() -> {
            try {
                T value = next.proceed(inner, call);
                if (settled.compareAndSet(false, true)) {
                    outcome.complete(value);
                }
            } catch (Throwable failure) {
                if (settled.compareAndSet(false, true)) {
                    outcome.completeExceptionally(failure);
                }
            }
            return null;
        });
        // completes once the work's thread has left it (or the work never started): what a waiting timeout waits for
        CompletableFuture<Void> workEnded = new CompletableFuture<>();
        // armed before the work starts, so work that races ahead of the clock cannot outrun its alarm
        Scheduler.Cancellable alarm = scheduler.schedule(Duration.ofNanos(allowed), () -> {
            if (settled.compareAndSet(false, true)) {
                onTimeout(allowed);
                work.cancel(true);
                TimeoutExceededException timedOut = new TimeoutExceededException(name(), Duration.ofNanos(allowed));
                if (waitForInterruptedWork.isZero()) {
                    outcome.completeExceptionally(timedOut);
                } else {
                    Scheduler.Cancellable giveUp = scheduler.schedule(waitForInterruptedWork,
                            () -> outcome.completeExceptionally(timedOut));
                    workEnded.whenComplete((done, error) -> {
                        giveUp.cancel();
                        outcome.completeExceptionally(timedOut);
                    });
                }
            }
        });
        try {
            executor.execute(ContextPropagator.snapshot().wrap(() -> {
                try {
                    work.run();
                } finally {
                    workEnded.complete(null);
                }
            }));
        } catch (RuntimeException refused) {
            alarm.cancel();
            throw refused;
        }
        try {
            return outcome.get();
        } catch (ExecutionException wrapped) {
            throw Outcomes.rethrow(java.util.Objects.requireNonNullElse(wrapped.getCause(), wrapped));
        } catch (InterruptedException interrupted) {
            work.cancel(true);
            Thread.currentThread().interrupt();
            throw interrupted;
        } finally {
            alarm.cancel();
        }
    }

    /**
     * Runs the call on this thread; the alarm interrupts it. The state CAS decides once between "the call ended"
     * and "the alarm fired", so an alarm that loses never interrupts the thread after the call has ended, and a
     * caller that loses waits until the alarm's interrupt has landed before clearing it.
     */
    private <T> T interceptInPlace(ExecutionContext inner, ContextualSupplier<T> call, Chain next, long allowed)
            throws Exception {
        Thread caller = Thread.currentThread();
        AtomicInteger state = new AtomicInteger(RUNNING);
        Scheduler.Cancellable alarm = scheduler.schedule(Duration.ofNanos(allowed), () -> {
            if (state.compareAndSet(RUNNING, INTERRUPTING)) {
                try {
                    onTimeout(allowed);
                } finally {
                    caller.interrupt();
                    state.set(INTERRUPTED);
                }
            }
        });
        T value = null;
        Throwable failure = null;
        try {
            value = next.proceed(inner, call);
        } catch (Throwable thrown) {
            failure = thrown;
        } finally {
            alarm.cancel();
        }
        if (state.compareAndSet(RUNNING, ENDED)) {
            if (failure != null) {
                throw Outcomes.rethrow(failure);
            }
            return dev.bulwark.internal.Nullness.callersValue(value);
        }
        while (state.get() == INTERRUPTING) {
            Thread.onSpinWait(); // only the alarm's listener publication and interrupt() remain
        }
        Thread.interrupted(); // the flag we raised; the call did not consume it
        throw new TimeoutExceededException(name(), Duration.ofNanos(allowed), failure);
    }

    @Override
    public <T> CompletionStage<T> interceptAsync(ExecutionContext context, AsyncSupplier<T> call, Chain next) {
        long now = clock().nanoTime();
        long allowed = allowedNanos(context, now);
        TimedCall<T> outcome = new TimedCall<>(allowed);
        // what reacts to the timeout (a fallback, the caller's continuations) runs on the alarm's thread
        outcome.alarm = scheduler.schedule(Duration.ofNanos(allowed), ContextPropagator.snapshot().wrap(outcome));
        CompletionStage<T> stage = next.proceedAsync(context.withDeadline(now + allowed), call);
        outcome.stage = stage;
        if (outcome.isDone()) {
            stage.toCompletableFuture().cancel(true); // the alarm, or the caller's cancellation, came first
        }
        stage.whenComplete(outcome);
        return outcome;
    }

    /**
     * One asynchronous call under this timeout: its outcome, its alarm's task and the callback of the call it
     * times, in one object. Whichever of the call and the alarm settles it first decides the outcome.
     */
    private final class TimedCall<T> extends CompletableFuture<T> implements BiConsumer<T, Throwable>, Runnable {
        private static final VarHandle SETTLED = VarHandles.field(MethodHandles.lookup(), "settled", boolean.class);

        private final long allowed;
        volatile Scheduler.@Nullable Cancellable alarm;
        volatile @Nullable CompletionStage<T> stage;
        @SuppressWarnings("unused") // through SETTLED
        private volatile boolean settled;

        TimedCall(long allowed) {
            this.allowed = allowed;
        }

        private boolean settle() {
            return SETTLED.compareAndSet(this, false, true);
        }

        /** The alarm: the time is up. */
        @Override
        public void run() {
            if (settle()) {
                onTimeout(allowed);
                CompletionStage<T> running = stage;
                if (running != null) {
                    running.toCompletableFuture().cancel(true);
                }
                completeExceptionally(new TimeoutExceededException(name(), Duration.ofNanos(allowed)));
            }
        }

        /** The call ended. */
        @Override
        public void accept(@Nullable T value, @Nullable Throwable error) {
            disarm();
            if (settle()) {
                Futures.relay(this, value, error);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (isCancelled()) {
                disarm();
                CompletionStage<T> running = stage;
                if (running != null) {
                    running.toCompletableFuture().cancel(true);
                }
            }
            return cancelled;
        }

        private void disarm() {
            Scheduler.Cancellable armed = alarm;
            if (armed != null) {
                armed.cancel();
            }
        }
    }

    /** This timeout, or less if an outer deadline leaves less time {@code now}. */
    private long allowedNanos(ExecutionContext context, long now) {
        return context.hasDeadline() ? Math.max(0, Math.min(timeoutNanos, context.remainingNanos(now))) : timeoutNanos;
    }

    private void onTimeout(long allowed) {
        timedOut.increment();
        publish(new Timeout.Event.TimedOut(name(), allowed));
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public long timedOutCalls() {
        return timedOut.sum();
    }





    @Override
    public String toString() {
        return "Timeout[" + name() + ", " + timeout + "]";
    }
}
