package dev.bulwark.queue;

import java.util.List;
import java.util.Optional;

/**
 * Requests put aside while a resource is unavailable (the queue-request fallback), to be processed when it
 * recovers. Delivery is at least once: an item stays queued until it is {@linkplain #ack acknowledged}, so
 * a worker that dies mid-item sees it again. Implementations are thread-safe.
 *
 * @param <T> the item type
 */
public interface DeferredQueue<T> extends AutoCloseable {

    /**
     * Queues an item; once this returns, the item is kept (for the durable queue: on disk).
     *
     * @return the item's ticket
     * @throws QueueFullException if the queue is at its bound
     */
    long offer(T item);

    /** The oldest items not yet acknowledged, at most {@code max}, without removing them. */
    List<Ticketed<T>> peek(int max);

    /** Removes an item for good; acknowledging twice or an unknown ticket does nothing. */
    void ack(long ticket);

    /** Items waiting. */
    int size();

    /**
     * Processes waiting items in order with {@code handler}, acknowledging each one it accepts, and stops at
     * the first one it throws on (that item stays queued for the next drain).
     *
     * @return how many items were processed
     */
    default int drain(ItemHandler<T> handler) {
        int processed = 0;
        while (true) {
            List<Ticketed<T>> next = peek(1);
            if (next.isEmpty()) {
                return processed;
            }
            try {
                handler.handle(next.get(0).item());
            } catch (Exception failure) {
                return processed;
            }
            ack(next.get(0).ticket());
            processed++;
        }
    }

    /** The ticket of the oldest waiting item. */
    default Optional<Long> oldestTicket() {
        List<Ticketed<T>> head = peek(1);
        return head.isEmpty() ? Optional.empty() : Optional.of(head.get(0).ticket());
    }

    @Override
    void close();

    /** An item with its ticket. */
    record Ticketed<T>(long ticket, T item) {
    }

    /** What a drain does with one item; throwing leaves it queued. */
    @FunctionalInterface
    interface ItemHandler<T> {
        /** Processes the item. */
        void handle(T item) throws Exception;
    }
}
