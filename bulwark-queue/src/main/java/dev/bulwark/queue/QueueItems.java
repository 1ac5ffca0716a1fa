package dev.bulwark.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Lock;

/** What both deferred queues share: reading the waiting items, in ticket order, under the queue's lock. */
final class QueueItems {
    private QueueItems() {
    }

    /** The first {@code max} items of {@code items} (insertion order is ticket order), read under {@code lock}. */
    static <T> List<DeferredQueue.Ticketed<T>> head(Lock lock, Map<Long, T> items, int max) {
        lock.lock();
        try {
            return head(items, max);
        } finally {
            lock.unlock();
        }
    }

    /** How many items wait, read under {@code lock}. */
    static int size(Lock lock, Map<Long, ?> items) {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    private static <T> List<DeferredQueue.Ticketed<T>> head(Map<Long, T> items, int max) {
        List<DeferredQueue.Ticketed<T>> head = new ArrayList<>(Math.min(max, items.size()));
        for (Map.Entry<Long, T> entry : items.entrySet()) {
            if (head.size() >= max) {
                break;
            }
            head.add(new DeferredQueue.Ticketed<>(entry.getKey(), entry.getValue()));
        }
        return head;
    }
}
