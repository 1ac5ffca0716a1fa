package dev.bulwark.queue;

import dev.bulwark.Policy;
import dev.bulwark.Pipeline;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.GivenSettings;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Works off a deferred queue once its resource has recovered: every {@code interval} it asks {@code ready} (for
 * example {@code () -> resources.canUse(ResourceType.API_QUOTA, "model-a")}) and, if so, drains the queue through
 * {@code guard} (typically a retry), stopping at the first item that still fails; that item is tried again on the
 * next tick. Items are acknowledged only after they are handled, so with a durable queue every request is processed
 * at least once. One drain runs at a time (a tick and a {@link #drainNow()} never hand the same item over twice).
 * This class is thread-safe.
 *
 * <pre>{@code
 * QueueDrainer<String> drainer = QueueDrainer.builder(queue, item -> send(item))
 *         .guard(retry).ready(() -> resources.canUse(ResourceType.API_QUOTA, "model-a")).build();
 * drainer.start();
 * }</pre>
 *
 * @param <T> the item type
 */
public final class QueueDrainer<T> {
    private final Config<T> config;
    private final AtomicLong processed = new AtomicLong();
    private final ReentrantLock draining = new ReentrantLock();
    private volatile boolean running;
    private volatile boolean stopped;
    private long run; // guarded by this: which start() the pending tick belongs to
    private Scheduler.@Nullable Cancellable next; // guarded by this

    private QueueDrainer(Config<T> config) {
        this.config = config;
    }

    /** A builder for a drainer of {@code queue} handing each item to {@code handler}. */
    public static <T> Config.Builder<T> builder(DeferredQueue<T> queue, DeferredQueue.ItemHandler<T> handler) {
        return new Config.Builder<>(queue, handler);
    }

    /** The drainer {@code config} describes, not started yet. */
    public static <T> QueueDrainer<T> of(Config<T> config) {
        return new QueueDrainer<>(Objects.requireNonNull(config, "config"));
    }

    /** This drainer's settings. */
    public Config<T> config() {
        return config;
    }

    /** Starts ticking (again, after a stop). Starting twice does nothing. */
    public synchronized void start() {
        if (!running) {
            running = true;
            stopped = false;
            schedule(++run);
        }
    }

    /**
     * Stops ticking and draining: nothing is left scheduled, and a drain under way ends after the item it is handling,
     * which is acknowledged before this returns (so the queue may be closed next). A stopped drainer drains nothing,
     * not even on {@link #drainNow()}, until it is started again.
     */
    public void stop() {
        synchronized (this) {
            running = false;
            stopped = true;
            Scheduler.Cancellable scheduled = next;
            if (scheduled != null) {
                scheduled.cancel();
            }
        }
        draining.lock(); // waits for the drain under way, if any
        draining.unlock();
    }

    /** Drains now if the resource is ready and the drainer is not stopped; returns how many items were processed. */
    public int drainNow() {
        draining.lock();
        try {
            if (stopped || !config.ready().getAsBoolean()) {
                return 0;
            }
            DeferredQueue.ItemHandler<T> handler = config.handler();
            Policy guard = config.guard();
            int count = config.queue().drain(item -> {
                if (stopped) {
                    throw new IllegalStateException("the drainer was stopped"); // ends the drain; the item stays
                }
                guard.run(() -> handler.handle(item));
            });
            processed.addAndGet(count);
            return count;
        } finally {
            draining.unlock();
        }
    }

    /** Items processed so far. */
    public long processed() {
        return processed.get();
    }

    private synchronized void schedule(long ofRun) {
        if (running && run == ofRun) { // a stop, or a stop and a start, while the tick drained ends this run's ticks
            next = config.scheduler().schedule(config.interval(), () -> tick(ofRun));
        }
    }

    private void tick(long ofRun) {
        if (running) {
            drainNow();
            schedule(ofRun);
        }
    }

    /**
     * The immutable settings of a queue drainer. Defaults: no guard (an empty pipeline: each item is tried once per
     * tick), always ready, a tick every 30 s on {@link Scheduler#system()}.
     *
     * @param queue the queue drained
     * @param handler what each item is handed to; throwing leaves the item queued
     * @param guard what each item's handling runs under (typically a retry)
     * @param ready asked before each drain: false skips the tick
     * @param interval the time between ticks, positive
     * @param scheduler what the ticks run on
     * @param <T> the item type
     */
    public record Config<T>(DeferredQueue<T> queue, DeferredQueue.ItemHandler<T> handler, Policy guard,
                            BooleanSupplier ready, Duration interval, Scheduler scheduler) {

        /** Validates every field. */
        public Config {
            Objects.requireNonNull(queue, "queue");
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(guard, "guard");
            Objects.requireNonNull(ready, "ready");
            Checks.positive("queue drainer", "interval", interval);
            Objects.requireNonNull(scheduler, "scheduler");
        }

        /** A builder starting from this config's values, none of them given yet, so each may be overridden once. */
        public Builder<T> toBuilder() {
            Builder<T> builder = new Builder<>(queue, handler);
            builder.guard = guard;
            builder.ready = ready;
            builder.interval = interval;
            builder.scheduler = scheduler;
            return builder;
        }

        /** Builds a {@link Config} or a {@link QueueDrainer}. Each setting may be given once. Not thread-safe. */
        public static final class Builder<T> {
            private final GivenSettings given = new GivenSettings();
            private final DeferredQueue<T> queue;
            private final DeferredQueue.ItemHandler<T> handler;
            private Policy guard = Pipeline.of();
            private BooleanSupplier ready = () -> true;
            private Duration interval = Duration.ofSeconds(30);
            private Scheduler scheduler = Scheduler.system();

            Builder(DeferredQueue<T> queue, DeferredQueue.ItemHandler<T> handler) {
                this.queue = Objects.requireNonNull(queue, "queue");
                this.handler = Objects.requireNonNull(handler, "handler");
            }

            private void given(String setting) {
                given.mark("queue drainer", setting);
            }

            /** What each item's handling runs under (default: nothing, each item tried once per tick). */
            public Builder<T> guard(Policy guard) {
                given("guard");
                this.guard = Objects.requireNonNull(guard, "guard");
                return this;
            }

            /** Asked before each drain; false skips the tick (default: always ready). */
            public Builder<T> ready(BooleanSupplier ready) {
                given("ready");
                this.ready = Objects.requireNonNull(ready, "ready");
                return this;
            }

            /** The time between ticks (default 30 s). */
            public Builder<T> interval(Duration interval) {
                given("interval");
                this.interval = interval;
                return this;
            }

            /** What the ticks run on (default {@link Scheduler#system()}; a {@code ManualClock} in tests). */
            public Builder<T> scheduler(Scheduler scheduler) {
                given("scheduler");
                this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
                return this;
            }

            /** The settings. @throws dev.bulwark.ConfigException for an invalid setting */
            public Config<T> buildConfig() {
                return new Config<>(queue, handler, guard, ready, interval, scheduler);
            }

            /** The drainer, not started yet. @throws dev.bulwark.ConfigException for an invalid setting */
            public QueueDrainer<T> build() {
                return QueueDrainer.of(buildConfig());
            }
        }
    }
}
