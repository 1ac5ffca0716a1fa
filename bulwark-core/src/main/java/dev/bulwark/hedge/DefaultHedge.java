package dev.bulwark.hedge;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.ContextPropagator;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.internal.Futures;
import dev.bulwark.internal.LatencySamples;
import dev.bulwark.internal.Outcomes;
import dev.bulwark.internal.PolicySupport;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/** The hedge: one race per call, run the same way for synchronous and asynchronous calls. */
final class DefaultHedge extends PolicySupport<Hedge.Event> implements Hedge {
    /** How many recent successful latencies the percentile delay reads. */
    static final int LATENCY_SAMPLES = 1000;
    /** Sorting on every success would cost more than a slightly stale percentile. */
    private static final int RECOMPUTE_EVERY = 10;

    private final long fixedDelayNanos;
    private final int minSamples;
    private final int maxHedges;
    private final HedgeConfig config;
    private final ExecutorService executor;
    private final Scheduler scheduler;
    private final @Nullable LatencySamples samples;
    private final double percentile;
    private volatile long cachedPercentileNanos = -1L;
    private final LongAdder hedges = new LongAdder();
    private final LongAdder wins = new LongAdder();

    DefaultHedge(HedgeConfig config) {
        super("hedge", config.name(), config.clock());
        this.config = config;
        this.fixedDelayNanos = config.delay().toNanos();
        this.minSamples = config.minSamples();
        this.maxHedges = config.maxHedges();
        this.executor = config.executor();
        this.scheduler = config.scheduler();
        this.percentile = config.delayPercentile().orElse(Double.NaN);
        this.samples = Double.isNaN(percentile) ? null : new LatencySamples(LATENCY_SAMPLES);
    }

    @Override
    public HedgeConfig config() {
        return config;
    }

    @Override
    public <T> T intercept(ExecutionContext context, ContextualSupplier<T> call, Chain next) throws Exception {
        ExecutorService runner = executor;
        ContextPropagator.Snapshot callers = ContextPropagator.snapshot();
        CompletableFuture<T> outcome = race(callers, index -> Futures.onExecutor(runner,
                () -> restoredAround(callers, () -> next.proceed(context.withAttempt(index + 1), call))));
        try {
            return outcome.get();
        } catch (ExecutionException wrapped) {
            throw Outcomes.rethrow(java.util.Objects.requireNonNullElse(wrapped.getCause(), wrapped));
        } catch (InterruptedException interrupted) {
            outcome.cancel(true);
            throw interrupted;
        }
    }

    @Override
    public <T> CompletionStage<T> interceptAsync(ExecutionContext context, AsyncSupplier<T> call, Chain next) {
        return race(ContextPropagator.snapshot(), index -> next.proceedAsync(context.withAttempt(index + 1), call));
    }

    private static <T> T restoredAround(ContextPropagator.Snapshot callers, java.util.concurrent.Callable<T> work)
            throws Exception {
        try (ContextPropagator.Scope restored = callers.restore()) {
            return work.call();
        }
    }

    /** Starts attempt 0, then a backup each time the delay passes or an attempt fails; the first success wins. */
    private <T> CompletableFuture<T> race(ContextPropagator.Snapshot callers, IntFunction<CompletionStage<T>> attempt) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        List<CompletionStage<T>> running = new CopyOnWriteArrayList<>();
        AtomicInteger started = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long delay = delayNanos();
        Runnable[] startNext = new Runnable[1];
        Runnable[] startNextInContext = new Runnable[1];
        startNext[0] = () -> {
            int index = started.getAndIncrement();
            if (index > maxHedges || outcome.isDone()) {
                started.decrementAndGet();
                return;
            }
            if (index > 0) {
                hedges.increment();
                publish(new Hedge.Event.BackupStarted(name(), index + 1));
            }
            // the next backup's timer is armed before this attempt starts, so the delay counts from now
            if (index < maxHedges) {
                Scheduler.Cancellable timer = scheduler.schedule(Duration.ofNanos(delay), startNextInContext[0]);
                outcome.whenComplete((value, error) -> timer.cancel());
            }
            long begun = clock().nanoTime();
            CompletionStage<T> stage = attempt.apply(index);
            running.add(stage);
            if (outcome.isDone()) {
                stage.toCompletableFuture().cancel(true); // the race ended while this attempt was starting
            }
            stage.whenComplete((value, error) -> {
                if (error == null) {
                    if (outcome.complete(value)) {
                        if (samples != null) {
                            recordLatency(samples, clock().nanoTime() - begun);
                        }
                        if (index > 0) {
                            wins.increment();
                        }
                        publish(new Hedge.Event.Won(name(), index + 1));
                    }
                } else if (failed.incrementAndGet() == maxHedges + 1) {
                    outcome.completeExceptionally(Outcomes.unwrap(error));
                } else if (!outcome.isDone()) {
                    startNextInContext[0].run();
                }
            });
        };
        startNextInContext[0] = callers.wrap(startNext[0]);
        outcome.whenComplete((value, error) -> running.forEach(stage -> stage.toCompletableFuture().cancel(true)));
        startNext[0].run();
        return outcome;
    }

    private void recordLatency(LatencySamples ring, long nanos) {
        ring.record(nanos);
        int count = ring.count();
        if (count % RECOMPUTE_EVERY == 0 || count < RECOMPUTE_EVERY) {
            cachedPercentileNanos = ring.percentileNanos(percentile);
        }
    }

    private long delayNanos() {
        if (samples != null && samples.count() >= minSamples) {
            long cached = cachedPercentileNanos;
            if (cached >= 0) {
                return cached;
            }
        }
        return fixedDelayNanos;
    }

    @Override
    public long hedgesStarted() {
        return hedges.sum();
    }

    @Override
    public long hedgeWins() {
        return wins.sum();
    }

    @Override
    public Duration currentDelay() {
        return Duration.ofNanos(delayNanos());
    }



    @Override
    public String toString() {
        return "Hedge[" + name() + ", maxHedges=" + maxHedges + "]";
    }
}
