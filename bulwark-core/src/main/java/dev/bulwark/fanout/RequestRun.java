package dev.bulwark.fanout;

import dev.bulwark.ExecutionContext;
import dev.bulwark.RejectedException;
import dev.bulwark.circuit.CircuitOpenException;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.fanout.FanOut.Strategy;
import dev.bulwark.fanout.FanOutResult.AdapterResult;
import dev.bulwark.internal.Outcomes;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * One request in flight: a result slot per adapter, set exactly once (first writer wins), and the
 * strategy's rule for when the request is done. Slots of abandoned adapters are set before their calls are
 * cancelled, so the cancellation that follows cannot overwrite them.
 */
final class RequestRun<Q, R> {
    private final DefaultFanOut<Q, R> fanOut;
    private final Strategy strategy;
    private final List<DefaultFanOut.Route<Q, R>> routes;
    private final Q request;
    private final ExecutionContext context;
    private final long startNanos;
    private final AtomicReferenceArray<AdapterResult<R>> slots;
    private final AtomicReferenceArray<CompletableFuture<R>> calls;
    private final long[] callStarts;
    private final AtomicInteger open;
    private final CompletableFuture<FanOutResult<R>> result = new CompletableFuture<>();

    RequestRun(DefaultFanOut<Q, R> fanOut, Strategy strategy, List<DefaultFanOut.Route<Q, R>> routes, Q request,
               ExecutionContext context, long startNanos) {
        this.fanOut = fanOut;
        this.strategy = strategy;
        this.routes = routes;
        this.request = request;
        this.context = context;
        this.startNanos = startNanos;
        this.slots = new AtomicReferenceArray<>(routes.size());
        this.calls = new AtomicReferenceArray<>(routes.size());
        this.callStarts = new long[routes.size()];
        this.open = new AtomicInteger(routes.size());
    }

    CompletableFuture<FanOutResult<R>> result() {
        return result;
    }

    /**
     * Starts the adapters, then arms the deadline at {@code timeout} after the request's start unless they all
     * answered already: a request to adapters that answer at once never touches the scheduler.
     */
    void start(Duration timeout) {
        long deadlineNanos = startNanos + timeout.toNanos();
        for (int i = 0; i < routes.size() && !result.isDone(); i++) {
            if (i > 0 && fanOut.clock().coarseNanoTime() - deadlineNanos >= 0) {
                onDeadline(); // an adapter took the time while starting: the rest are not started
                return;
            }
            startAdapter(i);
        }
        if (!result.isDone()) {
            long left = deadlineNanos - fanOut.clock().nanoTime();
            if (left <= 0) {
                onDeadline();
                return;
            }
            Scheduler.Cancellable deadline = fanOut.scheduler().schedule(Duration.ofNanos(left), this::onDeadline);
            // the caller gets the result only after start: no cancellation can come before this
            result.whenComplete((value, error) -> {
                deadline.cancel();
                if (result.isCancelled()) {
                    abandon(AdapterResult.Status.CANCELLED);
                }
            });
        }
    }

    private void startAdapter(int index) {
        DefaultFanOut.Route<Q, R> route = routes.get(index);
        String adapterName = route.adapter().name();
        if (route.breaker() != null && route.breaker().state().rejectsCalls()) {
            try {
                route.breaker().acquirePermission();
                route.breaker().releasePermission(); // it closed meanwhile: call it after all
            } catch (CircuitOpenException open) {
                if (fanOut.listened()) {
                    fanOut.published(new FanOut.Event.AdapterRejected(fanOut.name(), adapterName));
                }
                settle(index, AdapterResult.Status.REJECTED, null, open, 0L);
                return;
            }
        }
        callStarts[index] = fanOut.clock().coarseNanoTime();
        ExecutionContext adapterContext = context.with(FanOut.ADAPTER, adapterName);
        CompletableFuture<R> call = route.pipeline()
                .executeAsync(adapterContext, ctx -> fanOut.invoke(route.adapter(), request, ctx))
                .toCompletableFuture();
        calls.set(index, call);
        if (!call.isDone()) {
            fanOut.track(call); // only running calls matter to shutdown and inFlight()
        }
        call.whenComplete((value, error) -> onAdapterDone(index, value, error));
        if (slots.get(index) != null && !call.isDone()) {
            call.cancel(true); // abandoned (deadline, first success) while it was starting
        }
    }

    private void onAdapterDone(int index, @Nullable R value, @Nullable Throwable error) {
        long duration = fanOut.clock().coarseNanoTime() - callStarts[index];
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

    private void onDeadline() {
        abandon(strategy == Strategy.BEST_EFFORT ? AdapterResult.Status.SKIPPED : AdapterResult.Status.TIMED_OUT);
    }

    /** Settles every open slot with {@code status}, then cancels those adapters' calls. */
    private void abandon(AdapterResult.Status status) {
        long now = fanOut.clock().coarseNanoTime();
        List<CompletableFuture<R>> toCancel = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            Throwable reason = status == AdapterResult.Status.TIMED_OUT
                    ? new java.util.concurrent.TimeoutException("request deadline passed before adapter '"
                            + routes.get(i).adapter().name() + "' answered")
                    : null;
            if (slots.get(i) == null && settle(i, status, null, reason, callStarts[i] == 0 ? 0 : now - callStarts[i])) {
                CompletableFuture<R> call = calls.get(i);
                if (call != null) {
                    toCancel.add(call);
                }
            }
        }
        toCancel.forEach(call -> call.cancel(true));
    }

    private boolean settle(int index, AdapterResult.Status status, @Nullable R value, @Nullable Throwable error, long nanos) {
        DefaultFanOut.Route<Q, R> route = routes.get(index);
        CircuitBreaker.State state = route.breaker() == null ? null : route.breaker().state();
        AdapterResult<R> settled = new AdapterResult<>(route.adapter().name(), status, value, error,
                Duration.ofNanos(Math.max(0, nanos)), state);
        if (!slots.compareAndSet(index, null, settled)) {
            return false;
        }
        if (open.decrementAndGet() == 0) {
            finish();
        }
        return true;
    }

    private void finish() {
        List<AdapterResult<R>> results = new ArrayList<>(routes.size());
        int succeeded = 0;
        for (int i = 0; i < routes.size(); i++) {
            results.add(slots.get(i));
            succeeded += slots.get(i).succeeded() ? 1 : 0;
        }
        long duration = fanOut.clock().nanoTime() - startNanos;
        if (fanOut.listened()) {
            fanOut.published(new FanOut.Event.RequestCompleted(fanOut.name(), strategy, succeeded, routes.size(), duration));
        }
        result.complete(new FanOutResult<>(strategy, results, Duration.ofNanos(duration)));
    }
}
