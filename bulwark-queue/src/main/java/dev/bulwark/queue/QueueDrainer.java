package dev.bulwark.queue;

import dev.bulwark.Guard;
import dev.bulwark.internal.Checks;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Works off a deferred queue once its resource has recovered: every {@code interval} it asks
 * {@code ready} (for example {@code () -> resources.canUse(ResourceType.API_QUOTA, "model-a")}) and, if so,
 * drains the queue through {@code guard} (typically a retry), stopping at the first item that still fails;
 * that item is tried again on the next tick. Items are acknowledged only after they are handled, so with a
 * durable queue every request is processed at least once. This class is thread-safe.
 *
 * @param <T> the item type
 */
public final class QueueDrainer<T> {
    private final DeferredQueue<T> queue;
    private final DeferredQueue.ItemHandler<T> handler;
    private final Guard guard;
    private final BooleanSupplier ready;
    private final Duration interval;
    private final Scheduler scheduler;
    private final AtomicLong processed = new AtomicLong();
    private volatile boolean running;
    private volatile Scheduler.@Nullable Cancellable next;

    /**
     * @throws dev.bulwark.ConfigException if {@code interval} is not positive
     */
    public QueueDrainer(DeferredQueue<T> queue, DeferredQueue.ItemHandler<T> handler, Guard guard, BooleanSupplier ready,
                        Duration interval, Scheduler scheduler) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.ready = Objects.requireNonNull(ready, "ready");
        this.interval = Checks.positive("queue drainer", "interval", interval);
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** Starts ticking. Starting twice does nothing. */
    public synchronized void start() {
        if (!running) {
            running = true;
            schedule();
        }
    }

    /** Stops ticking; nothing is left scheduled. */
    public synchronized void stop() {
        running = false;
        Scheduler.Cancellable scheduled = next;
        if (scheduled != null) {
            scheduled.cancel();
        }
    }

    /** Drains now if the resource is ready; returns how many items were processed. */
    public int drainNow() {
        if (!ready.getAsBoolean()) {
            return 0;
        }
        int count = queue.drain(item -> guard.run(() -> handler.handle(item)));
        processed.addAndGet(count);
        return count;
    }

    /** Items processed so far. */
    public long processed() {
        return processed.get();
    }

    private void schedule() {
        next = scheduler.schedule(interval, () -> {
            if (running) {
                drainNow();
                schedule();
            }
        });
    }
}
