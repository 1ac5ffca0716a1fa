package dev.bulwark.queue;

import dev.bulwark.internal.Checks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded deferred queue in memory: fast, lost with the process. Behind {@link DeferredQueue#inMemory}; a queue
 * given a journal is durable instead. This class is thread-safe.
 *
 * @param <T> the item type
 */
final class InMemoryDeferredQueue<T> implements DeferredQueue<T> {
    private final String name;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<Long, T> items = new LinkedHashMap<>();
    private long nextTicket = 1;

    /** @throws dev.bulwark.ConfigException if the capacity is not positive */
    InMemoryDeferredQueue(String name, int capacity) {
        this.name = Checks.name("deferred queue", name);
        this.capacity = Checks.between("deferred queue '" + name + "'", "capacity", capacity, 1, 100_000_000);
    }

    @Override
    public long offer(T item) {
        Objects.requireNonNull(item, "item");
        lock.lock();
        try {
            if (items.size() >= capacity) {
                throw new QueueFullException(name, capacity);
            }
            long ticket = nextTicket++;
            items.put(ticket, item);
            return ticket;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Ticketed<T>> peek(int max) {
        return QueueItems.head(lock, items, max);
    }

    @Override
    public void ack(long ticket) {
        lock.lock();
        try {
            items.remove(ticket);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int size() {
        return QueueItems.size(lock, items);
    }

    @Override
    public void close() {
        // nothing held
    }
}
