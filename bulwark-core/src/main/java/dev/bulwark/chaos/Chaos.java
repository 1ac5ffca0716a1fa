package dev.bulwark.chaos;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventListener;
import dev.bulwark.event.EventSource;
import dev.bulwark.event.Subscription;
import dev.bulwark.internal.Listeners;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.TimedBuilder;
import dev.bulwark.internal.Futures;
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
public final class Chaos implements Policy, EventSource<ChaosEvent> {
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
    private final Listeners<ChaosEvent> listeners;

    private Chaos(Builder builder) {
        this.name = builder.name;
        this.latencyProbability = builder.latencyProbability;
        this.latency = builder.latency;
        this.exceptionProbability = builder.exceptionProbability;
        this.exception = builder.exception;
        this.resultProbability = builder.resultProbability;
        this.result = builder.result;
        this.random = new Random(builder.seed);
        this.clock = builder.configuredClock();
        this.scheduler = builder.configuredScheduler();
        this.enabled = builder.enabled;
        this.listeners = new Listeners<>("chaos '" + name + "'");
    }

    /** A builder for a chaos policy called {@code name}; it injects nothing until told what to inject. */
    public static Builder builder(String name) {
        return new Builder(name);
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
        scheduler.schedule(latency, () -> afterDelay(plan, context, call, next).whenComplete(Futures.relayTo(outcome)));
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
            listeners.publish(new ChaosEvent.LatencyInjected(name, latency.toNanos()));
        }
    }

    private Exception failure() {
        exceptions.increment();
        Exception injected = Objects.requireNonNull(exception).get();
        if (!listeners.isEmpty()) {
            listeners.publish(new ChaosEvent.ExceptionInjected(name, injected));
        }
        return injected;
    }

    private @Nullable Object substitute() {
        results.increment();
        if (!listeners.isEmpty()) {
            listeners.publish(new ChaosEvent.ResultSubstituted(name));
        }
        return Objects.requireNonNull(result).get();
    }

    @Override
    public Subscription subscribe(EventListener<? super ChaosEvent> listener) {
        return listeners.add(listener);
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

    /** Builds a {@link Chaos} policy. Each setting may be given once; a second call fails naming it. Not thread-safe. */
    public static final class Builder extends TimedBuilder<Builder> {
        private final String name;
        private double latencyProbability;
        private Duration latency = Duration.ZERO;
        private double exceptionProbability;
        private @Nullable Supplier<? extends Exception> exception;
        private double resultProbability;
        private @Nullable Supplier<?> result;
        private long seed = 42L;
        private boolean enabled = true;

        private Builder(String name) {
            this.name = name;
        }

        @Override
        protected String component() {
            return "chaos '" + name + "'";
        }

        /** Adds {@code latency} to a share {@code probability} of calls. */
        public Builder latency(double probability, Duration latency) {
            given("latency");
            this.latencyProbability = probability;
            this.latency = latency;
            return this;
        }

        /** Throws the supplied exception instead of the call for a share {@code probability} of calls. */
        public Builder exception(double probability, Supplier<? extends Exception> exception) {
            given("exception");
            this.exceptionProbability = probability;
            this.exception = Objects.requireNonNull(exception, "exception");
            return this;
        }

        /** Returns the supplied result instead of the call for a share {@code probability} of calls. */
        public Builder result(double probability, Supplier<?> result) {
            given("result");
            this.resultProbability = probability;
            this.result = Objects.requireNonNull(result, "result");
            return this;
        }

        /** The random seed (default 42): the same seed injects the same faults in the same order. */
        public Builder seed(long seed) {
            given("seed");
            this.seed = seed;
            return this;
        }

        /** Whether it starts enabled (default true). */
        public Builder enabled(boolean enabled) {
            given("enabled");
            this.enabled = enabled;
            return this;
        }

        /** The policy. @throws dev.bulwark.ConfigException for an invalid setting */
        public Chaos build() {
            String who = "chaos '" + Checks.name("chaos", name) + "'";
            Checks.between(who, "latencyProbability", latencyProbability, 0.0, 1.0);
            Checks.notNegative(who, "latency", latency);
            Checks.between(who, "exceptionProbability", exceptionProbability, 0.0, 1.0);
            Checks.between(who, "resultProbability", resultProbability, 0.0, 1.0);
            return new Chaos(this);
        }
    }
}
