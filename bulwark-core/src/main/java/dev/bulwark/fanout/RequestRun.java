package dev.bulwark.fanout;

import dev.bulwark.ExecutionContext;
import dev.bulwark.RejectedException;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitOpenException;
import dev.bulwark.fanout.FanOut.Strategy;
import dev.bulwark.fanout.FanOutResult.AdapterResult;
import dev.bulwark.internal.Outcomes;
import dev.bulwark.internal.PermitGate;
import dev.bulwark.internal.VarHandles;
import dev.bulwark.time.Scheduler;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * One request in flight: a slot per adapter, settled exactly once (first writer wins), and the strategy's rule
 * for when the request is done.
 *
 * <p>A slot is null until its adapter's call runs, then holds the {@link RunningCall} while the call has not
 * answered, then its {@link AdapterResult} for good. Each change is a compare-and-set, so a settler that finds the
 * slot changed under it looks again: an abandoned slot is settled before its call is cancelled, so the
 * cancellation that follows cannot overwrite it, and a call that starts after its slot was abandoned is cancelled
 * by its starter. A call that answers while it starts (an adapter with the answer at hand) is settled on the spot:
 * no callback, no running-call record. The run is the request's result itself, its deadline's task and its own
 * completion callback, to save a future and two lambdas per request; stages derived from it are plain futures.
 */
final class RequestRun<Q, R> extends CompletableFuture<FanOutResult<R>>
        implements BiConsumer<FanOutResult<R>, Throwable>, Runnable {
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle OPEN = VarHandles.field(MethodHandles.lookup(), "open", int.class);

    private final DefaultFanOut<Q, R> fanOut;
    private final Strategy strategy;
    private final List<DefaultFanOut.Route<Q, R>> routes;
    private final Q request;
    private final ExecutionContext context;
    private final long startNanos;
    /** Per adapter: null, then its {@link RunningCall} while it runs, then its {@link AdapterResult}. */
    private final Object[] slots;
    /** Slots not settled yet; the settler that takes it to 0 completes the request. */
    @SuppressWarnings("unused") // through OPEN
    private volatile int open;
    /** The armed deadline, if the request outlived its adapters' start. */
    private volatile Scheduler.@Nullable Cancellable deadline;

    RequestRun(DefaultFanOut<Q, R> fanOut, Strategy strategy, List<DefaultFanOut.Route<Q, R>> routes, Q request,
               ExecutionContext context) {
        this.fanOut = fanOut;
        this.strategy = strategy;
        this.routes = routes;
        this.request = request;
        this.context = context;
        this.startNanos = context.startNanos();
        this.slots = new Object[routes.size()];
        this.open = routes.size();
    }

    /**
     * Starts the adapters, then arms the deadline at {@code timeout} after the request's start unless they all
     * answered already: a request to adapters that answer at once never touches the scheduler. Once the request is
     * done, however it ended, {@link #accept} disarms the deadline and tells the fan-out.
     */
    void start(Duration timeout) {
        startAdapters(timeout);
        if (isDone()) {
            accept(null, null); // in place: whenComplete would make a stage nobody reads
        } else {
            // the caller gets the result only after start: no cancellation can come before this
            whenComplete(this);
        }
    }

    private void startAdapters(Duration timeout) {
        long deadlineNanos = startNanos + timeout.toNanos();
        for (int i = 0; i < routes.size() && !isDone(); i++) {
            if (i > 0 && fanOut.clock().coarseNanoTime() - deadlineNanos >= 0) {
                run(); // an adapter took the time while starting: the rest are not started
                return;
            }
            startAdapter(i);
        }
        if (!isDone()) {
            long left = deadlineNanos - fanOut.clock().nanoTime();
            if (left <= 0) {
                run();
                return;
            }
            deadline = fanOut.scheduler().schedule(Duration.ofNanos(left), this);
        }
    }

    /** The request is done: its deadline is disarmed, a cancelled one abandons its adapters, the fan-out hears of it. */
    @Override
    public void accept(@Nullable FanOutResult<R> result, @Nullable Throwable error) {
        Scheduler.Cancellable armed = deadline;
        if (armed != null) {
            armed.cancel();
        }
        if (isCancelled()) {
            abandon(AdapterResult.Status.CANCELLED);
        }
        fanOut.requestEnded();
    }

    private void startAdapter(int index) {
        DefaultFanOut.Route<Q, R> route = routes.get(index);
        CircuitBreaker breaker = route.breaker();
        if (breaker != null && breaker.state().rejectsCalls()) {
            try {
                breaker.acquirePermission();
                breaker.releasePermission(); // it closed meanwhile: call it after all
            } catch (CircuitOpenException open) {
                if (fanOut.listened()) {
                    fanOut.published(new FanOut.Event.AdapterRejected(fanOut.name(), route.name()));
                }
                settle(index, AdapterResult.Status.REJECTED, null, open, 0L);
                return;
            }
        }
        long callStart = fanOut.clock().coarseNanoTime();
        ExecutionContext adapterContext = context.withValuesOf(route.nameInContext());
        PermitGate gate = route.limitOnly();
        PermitGate held = gate != null && gate.tryAcquirePermit() ? gate : null;
        CompletableFuture<R> call = held != null
                ? fanOut.callDirectly(route.adapter(), request, adapterContext)
                : route.pipeline().executeAsync(adapterContext, ctx -> fanOut.invoke(route.adapter(), request, ctx))
                        .toCompletableFuture();
        if (call.isDone()) {
            if (held != null) {
                held.releasePermit();
            }
            settleDone(index, call, callStart);
            return;
        }
        RunningCall running = new RunningCall(index, call, callStart, held);
        fanOut.track(running); // only running calls matter to shutdown and inFlight()
        if (!SLOTS.compareAndSet(slots, index, null, running)) {
            call.cancel(true); // abandoned (deadline, first success, cancellation) while it was starting
        }
        call.whenComplete(running);
    }

    /** Settles a call that has answered already, reading its outcome in place. */
    private void settleDone(int index, CompletableFuture<R> call, long callStart) {
        R value;
        try {
            value = call.join();
        } catch (CompletionException | CancellationException failure) {
            onAdapterDone(index, null, failure, callStart);
            return;
        }
        onAdapterDone(index, value, null, callStart);
    }

    private void onAdapterDone(int index, @Nullable R value, @Nullable Throwable error, long callStart) {
        long duration = fanOut.clock().coarseNanoTime() - callStart;
        if (error == null) {
            settle(index, AdapterResult.Status.SUCCEEDED, value, null, duration);
            if (strategy == Strategy.FIRST_SUCCESS) {
                abandon(AdapterResult.Status.CANCELLED);
            }
            return;
        }
        Throwable cause = Outcomes.unwrap(error);
        AdapterResult.Status status = cause instanceof CancellationException ? AdapterResult.Status.CANCELLED
                : Outcomes.isTimeout(cause) ? AdapterResult.Status.TIMED_OUT
                : cause instanceof RejectedException ? AdapterResult.Status.REJECTED
                : AdapterResult.Status.FAILED;
        settle(index, status, null, cause, duration);
    }

    /** The request's deadline has passed. */
    @Override
    public void run() {
        abandon(strategy == Strategy.BEST_EFFORT ? AdapterResult.Status.SKIPPED : AdapterResult.Status.TIMED_OUT);
    }

    /** Settles every open slot with {@code status}, then cancels those adapters' calls. */
    private void abandon(AdapterResult.Status status) {
        long now = fanOut.clock().coarseNanoTime();
        List<CompletableFuture<R>> toCancel = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            Object slot;
            while (!((slot = SLOTS.getVolatile(slots, i)) instanceof AdapterResult)) {
                RunningCall running = (RunningCall) slot;
                Throwable reason = status == AdapterResult.Status.TIMED_OUT
                        ? new TimeoutException("request deadline passed before adapter '" + routes.get(i).name() + "' answered")
                        : null;
                if (SLOTS.compareAndSet(slots, i, slot, adapterResult(i, status, null, reason, running == null ? 0 : now - running.start))) {
                    if (running != null) {
                        toCancel.add(running.call);
                    }
                    closeSlot();
                    break;
                }
            }
        }
        toCancel.forEach(call -> call.cancel(true));
    }

    private void settle(int index, AdapterResult.Status status, @Nullable R value, @Nullable Throwable error, long nanos) {
        AdapterResult<R> settled = adapterResult(index, status, value, error, nanos);
        Object slot;
        while (!((slot = SLOTS.getVolatile(slots, index)) instanceof AdapterResult)) {
            if (SLOTS.compareAndSet(slots, index, slot, settled)) {
                closeSlot();
                return;
            }
        }
    }

    private AdapterResult<R> adapterResult(int index, AdapterResult.Status status, @Nullable R value, @Nullable Throwable error,
                                    long nanos) {
        DefaultFanOut.Route<Q, R> route = routes.get(index);
        CircuitBreaker.State state = route.breaker() == null ? null : route.breaker().state();
        return new AdapterResult<>(route.name(), status, value, error, Duration.ofNanos(Math.max(0, nanos)), state);
    }

    private void closeSlot() {
        if ((int) OPEN.getAndAdd(this, -1) == 1) {
            finish();
        }
    }

    @SuppressWarnings("unchecked")
    private void finish() {
        // every slot holds its AdapterResult now; List.of copies the array once, and FanOutResult keeps that list
        List<AdapterResult<R>> results = (List<AdapterResult<R>>) (List<?>) List.of(slots);
        long duration = fanOut.clock().nanoTime() - startNanos;
        if (fanOut.listened()) {
            int succeeded = 0;
            for (AdapterResult<R> adapter : results) {
                succeeded += adapter.succeeded() ? 1 : 0;
            }
            fanOut.published(new FanOut.Event.RequestCompleted(fanOut.name(), strategy, succeeded, routes.size(), duration));
        }
        complete(new FanOutResult<>(strategy, results, Duration.ofNanos(duration)));
    }

    /**
     * An adapter call that had not answered when it started: its slot's placeholder, what the fan-out tracks for
     * shutdown, and its completion callback.
     */
    private final class RunningCall implements BiConsumer<R, Throwable>, DefaultFanOut.Tracked {
        final int index;
        final CompletableFuture<R> call;
        final long start;
        /** The limit's permit the call holds when it was called directly, returned when it ends. */
        final @Nullable PermitGate permit;

        RunningCall(int index, CompletableFuture<R> call, long start, @Nullable PermitGate permit) {
            this.index = index;
            this.call = call;
            this.start = start;
            this.permit = permit;
        }

        @Override
        public void accept(@Nullable R value, @Nullable Throwable error) {
            if (permit != null) {
                permit.releasePermit();
            }
            fanOut.untrack(this);
            onAdapterDone(index, value, error, start);
        }

        @Override
        public void cancel() {
            call.cancel(true);
        }
    }
}
