package dev.bulwark.fallback;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.Futures;
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
 * resource's pressure: {@code dev.bulwark.resource.ResourcePressure} sheds LOW at WARNING, LOW and NORMAL at
 * CRITICAL, everything but CRITICAL at EXHAUSTED). Refusals throw a {@link LoadShedException}. This class is
 * thread-safe.
 */
public final class LoadShedder implements Policy {
    private static final double[] SHARE = {0.5, 0.75, 0.9, 1.0};

    private final String name;
    private final int capacity;
    private final @Nullable ShedSignal signal;
    private final Clock clock;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<Priority, LongAdder> shed = new EnumMap<>(Priority.class);

    private LoadShedder(String name, int capacity, @Nullable ShedSignal signal, Clock clock) {
        this.name = name;
        this.capacity = capacity;
        this.signal = signal;
        this.clock = clock;
        for (Priority priority : Priority.values()) {
            shed.put(priority, new LongAdder());
        }
    }

    /**
     * A shedder allowing {@code capacity} calls in flight.
     *
     * @throws dev.bulwark.ConfigException if the capacity is not positive
     */
    public static LoadShedder of(String name, int capacity) {
        Checks.between("load shedder '" + Checks.name("load shedder", name) + "'", "capacity", capacity, 1, 10_000_000);
        return new LoadShedder(name, capacity, null, Clock.system());
    }

    /** This shedder, also shedding the calls {@code signal} refuses (before it counts concurrency). */
    public LoadShedder watching(ShedSignal signal) {
        return new LoadShedder(name, capacity, Objects.requireNonNull(signal, "signal"), clock);
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
        if (signal != null) {
            String why = signal.refusal(priority);
            if (why != null) {
                Objects.requireNonNull(shed.get(priority)).increment();
                return why;
            }
        }
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
            throw new LoadShedException(name, priority, why);
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
            return CompletableFuture.failedFuture(new LoadShedException(name, priority, why));
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
        return name;
    }

    @Override
    public Class<? extends Component> kind() {
        return LoadShedder.class;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "LoadShedder[" + name + ", " + inFlight.get() + "/" + capacity + "]";
    }
}
