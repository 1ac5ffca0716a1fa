package dev.bulwark.retry;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.ContextPropagator;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.internal.Outcomes;
import dev.bulwark.internal.PolicySupport;
import dev.bulwark.retry.Retry.Event.StopReason;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/** The retry. Synchronous and asynchronous executions share {@link #nextDelay}, the one place that decides. */
final class DefaultRetry extends PolicySupport<Retry.Event> implements Retry {
    private static final long STOP = -1L;

    private final RetryConfig config;
    private final Scheduler scheduler;
    private final Backoff backoff;
    /** Held here, not read through the config: a call to a type never loaded (no budget) is not inlined. */
    private final Retry.@Nullable Budget budget;
    private final boolean judgesResults;
    /** {@code maxDuration} in nanoseconds (saturated), or {@link #NO_MAX_DURATION}. */
    private final long maxDurationNanos;
    private static final long NO_MAX_DURATION = -1L;
    /**
     * The success path's only shared write. Cells owned per thread (found through a ThreadLocal, written without
     * an atomic) were measured at about twice this striped increment's cost, so the count stays a LongAdder.
     */
    private final LongAdder calls = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder succeededAfterRetry = new LongAdder();
    private final LongAdder[] stops = new LongAdder[StopReason.values().length];

    DefaultRetry(RetryConfig config) {
        super("retry", config.name(), config.clock());
        this.config = config;
        this.scheduler = config.scheduler();
        this.backoff = config.backoff();
        this.budget = config.budget();
        this.judgesResults = config.retryOnResult() != RetryConfig.NO_RESULT_RETRIED;
        this.maxDurationNanos = config.maxDuration() == null ? NO_MAX_DURATION : saturatedNanos(config.maxDuration());
        for (int i = 0; i < stops.length; i++) {
            stops[i] = new LongAdder();
        }
    }

    @Override
    public <T> T intercept(ExecutionContext context, ContextualSupplier<T> call, Chain next) throws Exception {
        long firstStart = started();
        ExecutionContext attemptContext = context;
        long previousDelay = 0L;
        for (int attempt = 1; ; attempt++) {
            T result = null;
            Throwable failure = null;
            try {
                result = next.proceed(attemptContext, call);
            } catch (Throwable thrown) {
                failure = thrown;
            }
            long delay = nextDelay(attempt, result, failure, previousDelay, context, firstStart);
            if (delay == STOP) {
                if (failure != null) {
                    throw Outcomes.rethrow(failure);
                }
                return dev.bulwark.internal.Nullness.callersValue(result);
            }
            scheduler.sleep(Duration.ofNanos(delay));
            previousDelay = delay;
            attemptContext = context.withAttempt(attempt + 1);
        }
    }

    @Override
    public <T> CompletionStage<T> interceptAsync(ExecutionContext context, AsyncSupplier<T> call, Chain next) {
        RetryingCall<T> outcome = new RetryingCall<>(context, call, next, started(), ContextPropagator.snapshot());
        outcome.attempt(context);
        return outcome;
    }

    /**
     * One asynchronous call through this retry: its outcome, the callback of each attempt and the task that starts
     * the next one, in one object (an attempt in flight holds no more than it). Attempts run one after the other,
     * so the attempt number and delay are plain fields: each is written before the attempt starts, and the
     * attempt's completion publishes it to its callback.
     */
    private final class RetryingCall<T> extends CompletableFuture<T> implements BiConsumer<T, Throwable>, Runnable {
        private final ExecutionContext context;
        private final AsyncSupplier<T> call;
        private final Chain next;
        private final long firstStart;
        private final ContextPropagator.Snapshot callers;
        private int attempt;
        private long previousDelay;
        private volatile @Nullable CompletionStage<T> inFlight;

        RetryingCall(ExecutionContext context, AsyncSupplier<T> call, Chain next, long firstStart,
                     ContextPropagator.Snapshot callers) {
            this.context = context;
            this.call = call;
            this.next = next;
            this.firstStart = firstStart;
            this.callers = callers;
        }

        /** Starts the next attempt in {@code attemptContext}, unless the outcome is settled (cancelled). */
        void attempt(ExecutionContext attemptContext) {
            if (isDone()) {
                return;
            }
            attempt++;
            CompletionStage<T> stage = next.proceedAsync(attemptContext, call);
            inFlight = stage;
            if (isCancelled()) {
                stage.toCompletableFuture().cancel(true); // cancelled while the attempt was starting
            }
            stage.whenComplete(this);
        }

        /** The retry's delay has passed: the next attempt. */
        @Override
        public void run() {
            attempt(context.withAttempt(attempt + 1));
        }

        /** An attempt ended. */
        @Override
        public void accept(@Nullable T value, @Nullable Throwable error) {
            if (isDone()) {
                return;
            }
            Throwable failure = error == null ? null : Outcomes.unwrap(error);
            try {
                long delay = nextDelay(attempt, value, failure, previousDelay, context, firstStart);
                if (delay == STOP) {
                    if (failure != null) {
                        completeExceptionally(failure);
                    } else {
                        complete(value);
                    }
                    return;
                }
                previousDelay = delay;
                scheduler.schedule(Duration.ofNanos(delay), callers.wrap(this));
            } catch (Throwable userFunctionFailure) {
                // a predicate or backoff threw (or the scheduler refused): the caller must still hear an answer
                completeExceptionally(userFunctionFailure);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            CompletionStage<T> current = inFlight;
            if (isCancelled() && current != null) {
                current.toCompletableFuture().cancel(true);
            }
            return cancelled;
        }
    }

    /** Counts the call; returns when its first attempt starts (read only when a maxDuration needs it). */
    private long started() {
        calls.increment();
        Retry.Budget budget = this.budget;
        if (budget != null) {
            budget.recordCall();
        }
        return maxDurationNanos == NO_MAX_DURATION ? 0L : clock().nanoTime();
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Decides after attempt {@code attempt}: the delay before the next one, or {@link #STOP}. Counts and
     * reports the decision; the happy path (first attempt succeeded) touches nothing shared. Small enough to be
     * inlined into the call path: the failure side is {@link #afterFailure}.
     */
    private long nextDelay(int attempt, @Nullable Object result, @Nullable Throwable failure, long previousDelay,
                           ExecutionContext context, long firstStart) {
        if (failure == null && !(judgesResults && config.retryOnResult().test(result))) {
            backoff.onSuccess();
            if (attempt > 1) {
                succeededAfterRetry.increment();
                publish(new Retry.Event.Succeeded(name(), attempt));
            }
            return STOP;
        }
        return afterFailure(attempt, failure, previousDelay, context, firstStart);
    }

    /** {@link #nextDelay} after a failed attempt (a thrown failure, or a result the config retries on). */
    private long afterFailure(int attempt, @Nullable Throwable failure, long previousDelay, ExecutionContext context,
                              long firstStart) {
        backoff.onFailure();
        if (failure != null && (Outcomes.isCancellation(failure) || config.abortOn().test(failure)
                || !config.retryOn().test(failure))) {
            return stop(StopReason.NOT_RETRYABLE, attempt, failure);
        }
        // an unlimited retry also stops at the int attempt number's end, as a counted one at MAX_RETRIES does
        if (attempt > (config.maxRetries() == RetryConfig.UNLIMITED ? RetryConfig.MAX_RETRIES : config.maxRetries())) {
            return stop(StopReason.MAX_RETRIES, attempt, failure);
        }
        long delay = backoff.delayNanos(attempt, previousDelay, config.random());
        // the retry would start at elapsed + delay; it must start before maxDuration is over (no overflow: both >= 0)
        if (maxDurationNanos != NO_MAX_DURATION && delay >= maxDurationNanos - (clock().nanoTime() - firstStart)) {
            return stop(StopReason.DEADLINE, attempt, failure);
        }
        if (context.hasDeadline() && context.remainingNanos(clock().nanoTime()) <= delay) {
            return stop(StopReason.DEADLINE, attempt, failure);
        }
        Retry.Budget budget = this.budget;
        if (budget != null && !budget.tryWithdraw()) {
            return stop(StopReason.BUDGET, attempt, failure);
        }
        retries.increment();
        publish(new Retry.Event.Retrying(name(), attempt, delay, failure));
        return delay;
    }

    private long stop(StopReason reason, int attempts, @Nullable Throwable failure) {
        stops[reason.ordinal()].increment();
        publish(new Retry.Event.GaveUp(name(), attempts, reason, failure));
        return STOP;
    }


    @Override
    public Retry.Stats stats() {
        long total = calls.sum();
        long afterRetry = succeededAfterRetry.sum();
        long failed = 0;
        for (LongAdder stop : stops) {
            failed += stop.sum();
        }
        return new Retry.Stats(total, retries.sum(), Math.max(0, total - afterRetry - failed), afterRetry,
                stops[StopReason.NOT_RETRYABLE.ordinal()].sum(), stops[StopReason.MAX_RETRIES.ordinal()].sum(),
                stops[StopReason.DEADLINE.ordinal()].sum(), stops[StopReason.BUDGET.ordinal()].sum());
    }

    @Override
    public RetryConfig config() {
        return config;
    }





    @Override
    public String toString() {
        return "Retry[" + name() + ", maxRetries=" + config.maxRetries() + "]";
    }
}
