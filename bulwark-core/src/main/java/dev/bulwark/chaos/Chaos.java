package dev.bulwark.chaos;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.ContextPropagator;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import java.util.function.Consumer;
import dev.bulwark.event.EventSource;
import dev.bulwark.internal.Futures;
import dev.bulwark.internal.listeners.Listeners;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Injects faults into the calls it guards: extra latency, a thrown exception instead of the call, or a
 * substituted result instead of the call, each with its own probability. Draws come from one seeded
 * {@link Random}, so a run can be replayed. {@link #disable()} turns it off at once.
 *
 * <p>Latency is injected through the scheduler ({@code sleep} for synchronous calls, a delayed start for
 * asynchronous ones), so tests drive it with a {@link dev.bulwark.time.ManualClock}. This class is thread-safe.
 */
public final class Chaos implements Policy, EventSource<Chaos.Event> {
    private final String name;
    private final double latencyProbability;
    private final Duration latency;
    private final double exceptionProbability;
    private final @Nullable Supplier<? extends Exception> exception;
    private final double resultProbability;
    private final @Nullable Supplier<?> result;
    private final Random random;
    private final Clock clock;
    private final Scheduler scheduler;
    private volatile boolean enabled;
    private final LongAdder latencies = new LongAdder();
    private final LongAdder exceptions = new LongAdder();
    private final LongAdder results = new LongAdder();
    private final Listeners<Chaos.Event> listeners;

    private final ChaosConfig config;

    private Chaos(ChaosConfig config) {
        this.config = config;
        this.name = config.name();
        this.latencyProbability = config.latencyProbability();
        this.latency = config.latency();
        this.exceptionProbability = config.exceptionProbability();
        this.exception = config.exception();
        this.resultProbability = config.resultProbability();
        this.result = config.result();
        this.random = new Random(config.seed());
        this.clock = config.clock();
        this.scheduler = config.scheduler();
        this.enabled = config.enabled();
        this.listeners = new Listeners<>("chaos '" + name + "'");
    }

    /** A builder for a chaos policy called {@code name}; it injects nothing until told what to inject. */
    public static ChaosConfig.Builder builder(String name) {
        return ChaosConfig.builder(name);
    }

    /** A chaos policy with the given config; each policy draws from its own {@link Random} seeded with the config's seed. */
    public static Chaos of(ChaosConfig config) {
        return new Chaos(Objects.requireNonNull(config, "config"));
    }

    /** This policy's settings (its {@code enabled} is the starting state; see {@link #isEnabled()} for now). */
    public ChaosConfig config() {
        return config;
    }

    /** Starts injecting. */
    public void enable() {
        enabled = true;
    }

    /** Stops injecting: calls pass straight through. */
    public void disable() {
        enabled = false;
    }

    /** Whether faults are being injected. */
    public boolean isEnabled() {
        return enabled;
    }

    /** Latencies injected so far. */
    public long injectedLatencies() {
        return latencies.sum();
    }

    /** Exceptions injected so far. */
    public long injectedExceptions() {
        return exceptions.sum();
    }

    /** Results substituted so far. */
    public long substitutedResults() {
        return results.sum();
    }

    /** What to do with one call: drawn in a fixed order so a seed replays exactly. */
    private record Plan(boolean delay, boolean fail, boolean substitute) {
        static final Plan NOTHING = new Plan(false, false, false);
    }

    private Plan plan() {
        if (!enabled) {
            return Plan.NOTHING;
        }
        synchronized (random) {
            boolean delay = latencyProbability > 0 && random.nextDouble() < latencyProbability;
            boolean fail = exception != null && random.nextDouble() < exceptionProbability;
            boolean substitute = !fail && result != null && random.nextDouble() < resultProbability;
            return delay || fail || substitute ? new Plan(delay, fail, substitute) : Plan.NOTHING;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T intercept(ExecutionContext context, ContextualSupplier<T> call, Chain next) throws Exception {
        Plan plan = plan();
        if (plan.delay()) {
            delayed();
            scheduler.sleep(latency);
        }
        if (plan.fail()) {
            throw failure();
        }
        if (plan.substitute()) {
            return (T) dev.bulwark.internal.Nullness.callersValue(substitute());
        }
        return next.proceed(context, call);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletionStage<T> interceptAsync(ExecutionContext context, AsyncSupplier<T> call, Chain next) {
        Plan plan = plan();
        if (!plan.delay()) {
            return afterDelay(plan, context, call, next);
        }
        delayed();
        CompletableFuture<T> outcome = new CompletableFuture<>();
        scheduler.schedule(latency, ContextPropagator.snapshot().wrap(
                () -> afterDelay(plan, context, call, next).whenComplete(Futures.relayTo(outcome))));
        return outcome;
    }

    /** What follows the injected delay; an exception or result supplier that throws fails the stage with it. */
    @SuppressWarnings("unchecked")
    private <T> CompletionStage<T> afterDelay(Plan plan, ExecutionContext context, AsyncSupplier<T> call, Chain next) {
        try {
            if (plan.fail()) {
                return CompletableFuture.failedFuture(failure());
            }
            if (plan.substitute()) {
                return CompletableFuture.completedFuture((T) substitute());
            }
        } catch (Throwable supplierFailure) {
            return CompletableFuture.failedFuture(supplierFailure);
        }
        return next.proceedAsync(context, call);
    }

    private void delayed() {
        latencies.increment();
        if (!listeners.isEmpty()) {
            listeners.publish(new Chaos.Event.LatencyInjected(name, latency.toNanos()));
        }
    }

    private Exception failure() {
        exceptions.increment();
        Exception injected = Objects.requireNonNull(exception).get();
        if (!listeners.isEmpty()) {
            listeners.publish(new Chaos.Event.ExceptionInjected(name, injected));
        }
        return injected;
    }

    private @Nullable Object substitute() {
        results.increment();
        if (!listeners.isEmpty()) {
            listeners.publish(new Chaos.Event.ResultSubstituted(name));
        }
        return Objects.requireNonNull(result).get();
    }

    @Override
    public EventSource.Subscription subscribe(Consumer<? super Chaos.Event> listener) {
        return listeners.add(listener)::run;
    }

    @Override
    public long listenerFailures() {
        return listeners.failures();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Class<? extends Component> kind() {
        return Chaos.class;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "Chaos[" + name + (enabled ? ", enabled" : ", disabled") + "]";
    }

    /** What a chaos policy reports: one event per injected fault. */
    public sealed interface Event {

        /** The policy's name. */
        String name();

        /** Latency was added to a call. */
        record LatencyInjected(String name, long nanos) implements Event {
        }

        /** An exception was thrown instead of the call. */
        record ExceptionInjected(String name, Exception exception) implements Event {
        }

        /** A result was returned instead of the call. */
        record ResultSubstituted(String name) implements Event {
        }
    }
}
