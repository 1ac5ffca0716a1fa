package dev.bulwark.bulkhead;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.ContextPropagator;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.Policy;
import dev.bulwark.internal.Futures;
import dev.bulwark.internal.Outcomes;
import dev.bulwark.internal.PolicySupport;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Runs calls under {@link Permits}: the synchronous and asynchronous paths of the bulkhead and the
 * adaptive limiter. Subclasses observe each call's start and end (the limiter learns from them).
 */
abstract class PermitPolicy extends PolicySupport<Bulkhead.Event> implements Policy {
    final String kindLabel;
    final Permits permits;
    final Duration maxWait;
    final Scheduler scheduler;
    /** Context of a call granted or refused on its own thread: nothing to carry. */
    private static final ContextPropagator.Snapshot NO_HOP = () -> () -> { };
    private final LongAdder rejected = new LongAdder();
    private final LongAdder queued = new LongAdder();

    PermitPolicy(String kindLabel, String name, Permits permits, Duration maxWait, Clock clock, Scheduler scheduler) {
        super(kindLabel, name, clock);
        this.kindLabel = kindLabel;
        this.permits = permits;
        this.maxWait = maxWait;
        this.scheduler = scheduler;
    }

    /** Called when a permit is held; returns what {@link #onEnd} gets back (e.g. a start time). */
    long onStart() {
        return 0L;
    }

    /** Called once per granted permit, before it is returned. */
    void onEnd(long started, @Nullable Throwable failure) {
    }

    @Override
    public <T> T intercept(ExecutionContext context, ContextualSupplier<T> call, Chain next) throws Exception {
        if (!permits.tryAcquire()) {
            awaitPermit();
        }
        long started = onStart();
        Throwable failure = null;
        try {
            return next.proceed(context, call);
        } catch (Throwable thrown) {
            failure = thrown;
            throw thrown;
        } finally {
            onEnd(started, failure);
            permits.release();
        }
    }

    private CompletableFuture<Boolean> acquire() {
        CompletableFuture<Boolean> waiter = permits.acquire(maxWait, scheduler);
        if (Permits.queued(waiter)) {
            queued.increment();
            publish(new Bulkhead.Event.Queued(name(), permits.waiting(), permits.maxWaiting()));
        }
        return waiter;
    }

    private void awaitPermit() throws InterruptedException {
        CompletableFuture<Boolean> waiter = acquire();
        boolean granted;
        try {
            granted = waiter.get();
        } catch (InterruptedException interrupted) {
            if (!waiter.complete(false) && waiter.getNow(false)) {
                permits.release(); // granted just as we gave up
            }
            throw interrupted;
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible);
        }
        if (!granted) {
            throw rejection();
        }
    }

    @Override
    public <T> CompletionStage<T> interceptAsync(ExecutionContext context, AsyncSupplier<T> call, Chain next) {
        CompletableFuture<Boolean> waiter = acquire();
        if (!Permits.queued(waiter) && Boolean.TRUE.equals(waiter.getNow(false))) {
            return runHolding(context, call, next);
        }
        CompletableFuture<T> outcome = new CompletableFuture<>();
        AtomicReference<CompletionStage<T>> running = new AtomicReference<>();
        // a queued call starts (or is refused) on the thread that frees a permit, or on the scheduler's
        ContextPropagator.Snapshot callers = Permits.queued(waiter) ? ContextPropagator.snapshot() : NO_HOP;
        waiter.whenComplete((granted, error) -> {
            try (ContextPropagator.Scope restored = callers.restore()) {
                onPermitDecided(granted, context, call, next, outcome, running);
            }
        });
        outcome.whenComplete((value, error) -> {
            if (outcome.isCancelled()) {
                waiter.complete(false);
                CompletionStage<T> stage = running.get();
                if (stage != null) {
                    stage.toCompletableFuture().cancel(true);
                }
            }
        });
        return outcome;
    }

    /** A call granted its permit at once, on the caller's thread: nothing to wait for, nothing to hand over. */
    private <T> CompletionStage<T> runHolding(ExecutionContext context, AsyncSupplier<T> call, Chain next) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        long started = onStart();
        CompletionStage<T> stage = next.proceedAsync(context, call);
        stage.whenComplete((value, failure) -> {
            onEnd(started, failure == null ? null : Outcomes.unwrap(failure));
            permits.release();
            Futures.relayTo(outcome).accept(value, failure);
        });
        if (!outcome.isDone()) {
            outcome.whenComplete((value, error) -> {
                if (outcome.isCancelled()) {
                    stage.toCompletableFuture().cancel(true);
                }
            });
        }
        return outcome;
    }

    private <T> void onPermitDecided(@Nullable Boolean granted, ExecutionContext context, AsyncSupplier<T> call,
                                     Chain next, CompletableFuture<T> outcome,
                                     AtomicReference<CompletionStage<T>> running) {
        if (!Boolean.TRUE.equals(granted)) {
            outcome.completeExceptionally(outcome.isCancelled() ? new CancellationException() : rejection());
            return;
        }
        if (outcome.isDone()) {
            permits.release(); // cancelled while waiting
            return;
        }
        long started = onStart();
        CompletionStage<T> stage = next.proceedAsync(context, call);
        running.set(stage);
        stage.whenComplete((value, failure) -> {
            onEnd(started, failure == null ? null : Outcomes.unwrap(failure));
            permits.release();
            Futures.relayTo(outcome).accept(value, failure);
        });
        if (outcome.isCancelled()) {
            stage.toCompletableFuture().cancel(true);
        }
    }

    BulkheadFullException rejection() {
        int inFlight = permits.inFlight();
        int limit = permits.limit();
        rejected.increment();
        publish(new Bulkhead.Event.Rejected(name(), inFlight, limit));
        return new BulkheadFullException(kindLabel, name(), inFlight, limit);
    }

    public long rejectedCalls() {
        return rejected.sum();
    }

    public long queuedCalls() {
        return queued.sum();
    }

    public int inFlight() {
        return permits.inFlight();
    }

    public int waiting() {
        return permits.waiting();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name() + ", " + permits.inFlight() + "/" + permits.limit() + "]";
    }
}
