package dev.bulwark.fallback;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.Futures;
import dev.bulwark.resource.ResourceMonitor;
import dev.bulwark.resource.ResourceStatus;
import dev.bulwark.resource.ResourceType;
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
 * Refuses work early, lowest priority first, so that what matters still gets through (seed 2's LOAD_SHED).
 * A call's priority is its context's {@code priority} tag (LOW, NORMAL, HIGH, CRITICAL; NORMAL when absent).
 *
 * <p>By concurrency: with {@code capacity} calls allowed, LOW calls are shed from 50 % of it in flight,
 * NORMAL from 75 %, HIGH from 90 %, CRITICAL only at 100 %. By resource, when one is watched: WARNING sheds
 * LOW, CRITICAL sheds LOW and NORMAL, EXHAUSTED sheds everything but CRITICAL. Refusals throw a
 * {@link LoadShedException}. This class is thread-safe.
 */
public final class LoadShedder implements Policy {
    private static final double[] SHARE = {0.5, 0.75, 0.9, 1.0};

    private final String name;
    private final int capacity;
    private final @Nullable ResourceMonitor monitor;
    private final @Nullable ResourceType resource;
    private final String resourceKey;
    private final Clock clock;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<Priority, LongAdder> shed = new EnumMap<>(Priority.class);

    private LoadShedder(String name, int capacity, @Nullable ResourceMonitor monitor, @Nullable ResourceType resource,
                        String resourceKey, Clock clock) {
        this.name = name;
        this.capacity = capacity;
        this.monitor = monitor;
        this.resource = resource;
        this.resourceKey = resourceKey;
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
        return new LoadShedder(name, capacity, null, null, "", Clock.system());
    }

    /** This shedder, also shedding by the status of {@code type}/{@code key} in {@code monitor}. */
    public LoadShedder watching(ResourceMonitor monitor, ResourceType type, String key) {
        return new LoadShedder(name, capacity, Objects.requireNonNull(monitor, "monitor"), Objects.requireNonNull(type, "type"),
                Objects.requireNonNull(key, "key"), clock);
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
        return shed.get(priority).sum();
    }

    /** Calls in flight now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Null when a slot was taken (give it back with {@link #release()}), else why not. */
    @Nullable String refusal(Priority priority) {
        if (monitor != null && resource != null) {
            ResourceStatus status = monitor.check(resource, resourceKey).status();
            int shedBelow = switch (status) {
                case HEALTHY -> 0;
                case WARNING -> 1;
                case CRITICAL -> 2;
                case EXHAUSTED -> 3;
            };
            if (priority.ordinal() < shedBelow) {
                shed.get(priority).increment();
                return "resource " + resource + (resourceKey.isEmpty() ? "" : "/" + resourceKey) + " is " + status;
            }
        }
        int allowed = (int) Math.ceil(capacity * SHARE[priority.ordinal()]);
        while (true) {
            int current = inFlight.get();
            if (current >= allowed) {
                shed.get(priority).increment();
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
