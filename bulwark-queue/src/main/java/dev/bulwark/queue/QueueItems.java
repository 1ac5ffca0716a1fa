package dev.bulwark.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What both deferred queues share: the waiting items in ticket order. */
final class QueueItems {
    private QueueItems() {
    }

    /** The first {@code max} items of {@code items} (insertion order is ticket order); call under the queue's lock. */
    static <T> List<DeferredQueue.Ticketed<T>> head(Map<Long, T> items, int max) {
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
