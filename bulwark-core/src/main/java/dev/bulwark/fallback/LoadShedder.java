package dev.bulwark.fallback;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.ExecutionContext;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.Futures;
import dev.bulwark.internal.GivenSettings;
import dev.bulwark.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Refuses work early, lowest priority first, so that what matters still gets through.
 * A call's priority is what its context carries under {@link Priority#KEY} (NORMAL when absent).
 *
 * <p>By concurrency: with {@code capacity} calls allowed, LOW calls are shed from 50 % of it in flight,
 * NORMAL from 75 %, HIGH from 90 %, CRITICAL only at 100 %. By a {@link ShedSignal}, when one is watched (a
 * resource's pressure: {@code ResourceMonitor.pressure(type, key)} (bulwark-monitor) sheds LOW at WARNING, LOW and NORMAL at
 * CRITICAL, everything but CRITICAL at EXHAUSTED). Refusals throw a {@link LoadShedException}. This class is
 * thread-safe.
 *
 * <pre>{@code
 * LoadShedder shedder = LoadShedder.builder("api").capacity(100).signal(pressure).build();
 * }</pre>
 */
public final class LoadShedder implements Policy {
    private static final double[] SHARE = {0.5, 0.75, 0.9, 1.0};

    private final Config config;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<Priority, LongAdder> shed = new EnumMap<>(Priority.class);

    private LoadShedder(Config config) {
        this.config = Objects.requireNonNull(config, "config");
        for (Priority priority : Priority.values()) {
            shed.put(priority, new LongAdder());
        }
    }

    /** A builder for a shedder called {@code name}; its {@code capacity} must be given. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A shedder with the given settings. */
    public static LoadShedder of(Config config) {
        return new LoadShedder(config);
    }

    /**
     * A shedder allowing {@code capacity} calls in flight, watching no signal.
     *
     * @throws dev.bulwark.ConfigException if the name is blank or the capacity is not in [1, 10000000]
     */
    public static LoadShedder of(String name, int capacity) {
        return builder(name).capacity(capacity).build();
    }

    /** A new shedder with this one's settings, also shedding the calls {@code signal} refuses (before it counts concurrency). */
    public LoadShedder watching(ShedSignal signal) {
        return config.toBuilder().signal(signal).build();
    }

    /** This shedder's settings. */
    public Config config() {
        return config;
    }

    /** Takes a slot for a call of {@code priority}; a true answer must be followed by {@link #release()}. */
    public boolean tryAcquire(Priority priority) {
        return refusal(priority) == null;
    }

    /** Gives back a slot. */
    public void release() {
        inFlight.decrementAndGet();
    }

    /** Calls shed so far at {@code priority}. */
    public long shedCalls(Priority priority) {
        return Objects.requireNonNull(shed.get(priority)).sum();
    }

    /** Calls in flight now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Null when a slot was taken (give it back with {@link #release()}), else why not. */
    @Nullable String refusal(Priority priority) {
        ShedSignal signal = config.signal();
        if (signal != null) {
            String why = signal.refusal(priority);
            if (why != null) {
                Objects.requireNonNull(shed.get(priority)).increment();
                return why;
            }
        }
        int capacity = config.capacity();
        int allowed = (int) Math.ceil(capacity * SHARE[priority.ordinal()]);
        while (true) {
            int current = inFlight.get();
            if (current >= allowed) {
                Objects.requireNonNull(shed.get(priority)).increment();
                return current + " of " + capacity + " in flight";
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return null;
            }
        }
    }

    @Override
    public <T> T intercept(ExecutionContext context, ContextualSupplier<T> call, Chain next) throws Exception {
        Priority priority = Priority.of(context);
        String why = refusal(priority);
        if (why != null) {
            throw new LoadShedException(name(), priority, why);
        }
        try {
            return next.proceed(context, call);
        } finally {
            release();
        }
    }

    @Override
    public <T> CompletionStage<T> interceptAsync(ExecutionContext context, AsyncSupplier<T> call, Chain next) {
        Priority priority = Priority.of(context);
        String why = refusal(priority);
        if (why != null) {
            return CompletableFuture.failedFuture(new LoadShedException(name(), priority, why));
        }
        CompletableFuture<T> outcome = new CompletableFuture<>();
        next.proceedAsync(context, call).whenComplete((value, error) -> {
            release();
            Futures.relayTo(outcome).accept(value, error);
        });
        return outcome;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public Class<? extends Component> kind() {
        return LoadShedder.class;
    }

    @Override
    public Clock clock() {
        return config.clock();
    }

    @Override
    public String toString() {
        return "LoadShedder[" + name() + ", " + inFlight.get() + "/" + config.capacity() + "]";
    }

    /** How much a call matters when load must be shed: lower priorities are shed first. */
    public enum Priority {
        /** Shed first: background and prefetch work. */
        LOW,
        /** Ordinary requests. */
        NORMAL,
        /** Requests users wait for. */
        HIGH,
        /** Never shed while any capacity is left: health checks, payments in flight. */
        CRITICAL;

        /** The key under which an execution context carries the call's priority (NORMAL when absent). */
        public static final ExecutionContext.Key<Priority> KEY = ExecutionContext.Key.of("priority", Priority.class);

        /** The priority a context carries under {@link #KEY}, or NORMAL. */
        public static Priority of(ExecutionContext context) {
            return context.getOrDefault(KEY, NORMAL);
        }
    }

    /**
     * A reason besides concurrency for a shedder to refuse calls: a strained resource, say
     * ({@code ResourceMonitor.pressure(type, key)} in bulwark-monitor). Implementations must be fast and thread-safe.
     */
    @FunctionalInterface
    public interface ShedSignal {

        /** Why a call of {@code priority} is to be shed now (for the exception's message), or null to admit it. */
        @Nullable String refusal(Priority priority);
    }

    /**
     * The immutable settings of a {@link LoadShedder}.
     *
     * @param name the shedder's name, non-blank
     * @param capacity the calls allowed in flight, in [1, 10000000] (no default: it is required)
     * @param signal what else refuses calls, or null for concurrency alone (the default)
     * @param clock the time source (default {@link Clock#system()})
     */
    public record Config(String name, int capacity, @Nullable ShedSignal signal, Clock clock) {

        /** Validates every field. @throws dev.bulwark.ConfigException naming the field, value and range */
        public Config {
            String who = "load shedder '" + Checks.name("load shedder", name) + "'";
            Checks.between(who, "capacity", capacity, 1, 10_000_000);
            Objects.requireNonNull(clock, "clock");
        }

        /** A builder starting from this config's values, none of them given yet, so each may be overridden once. */
        public Builder toBuilder() {
            Builder builder = new Builder(name);
            builder.capacity = capacity;
            builder.signal = signal;
            builder.clock = clock;
            return builder;
        }
    }

    /** Builds a {@link Config} or a {@link LoadShedder}. Each setting may be given once; a second call fails naming it. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final GivenSettings given = new GivenSettings();
        private @Nullable Integer capacity;
        private @Nullable ShedSignal signal;
        private Clock clock = Clock.system();

        private Builder(String name) {
            this.name = name;
        }

        private String who() {
            return "load shedder '" + name + "'";
        }

        /** The calls allowed in flight (required). */
        public Builder capacity(int capacity) {
            given.mark(who(), "capacity");
            this.capacity = capacity;
            return this;
        }

        /** Also sheds the calls {@code signal} refuses, before concurrency is counted (default: none). */
        public Builder signal(ShedSignal signal) {
            given.mark(who(), "signal");
            this.signal = Objects.requireNonNull(signal, "signal");
            return this;
        }

        /** The time source (default {@link Clock#system()}). */
        public Builder clock(Clock clock) {
            given.mark(who(), "clock");
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The config. @throws dev.bulwark.ConfigException for an invalid or missing setting */
        public Config buildConfig() {
            Checks.name("load shedder", name);
            return new Config(name, Checks.required(who(), "capacity", capacity), signal, clock);
        }

        /** The shedder. @throws dev.bulwark.ConfigException for an invalid or missing setting */
        public LoadShedder build() {
            return new LoadShedder(buildConfig());
        }
    }
}
