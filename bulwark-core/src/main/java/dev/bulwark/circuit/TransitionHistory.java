package dev.bulwark.circuit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The bounded history of transitions: at most {@code capacity} entries, none older than the retention
 * period once a cleanup has run (cleanups run on their own every {@code cleanupInterval}, on transitions
 * and queries). Transitions are rare, so a lock is fine here; it guards only memory operations.
 */
final class TransitionHistory {
    private record Entry(long nanos, Transition transition) {
    }

    private final int capacity;
    private final long retentionNanos;
    private final long cleanupIntervalNanos;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long lastCleanupNanos;

    TransitionHistory(int capacity, long retentionNanos, long cleanupIntervalNanos, long nowNanos) {
        this.capacity = capacity;
        this.retentionNanos = retentionNanos;
        this.cleanupIntervalNanos = cleanupIntervalNanos;
        this.lastCleanupNanos = nowNanos;
    }

    synchronized void add(Transition transition, long nowNanos) {
        if (capacity == 0) {
            return;
        }
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(new Entry(nowNanos, transition));
        cleanupIfDue(nowNanos);
    }

    synchronized List<Transition> snapshot(long nowNanos) {
        cleanupIfDue(nowNanos);
        List<Transition> copy = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            copy.add(entry.transition());
        }
        return List.copyOf(copy);
    }

    /** Drops entries older than the retention period; returns how many. */
    synchronized int cleanup(long nowNanos) {
        lastCleanupNanos = nowNanos;
        int removed = 0;
        while (!entries.isEmpty() && nowNanos - entries.peekFirst().nanos() > retentionNanos) {
            entries.removeFirst();
            removed++;
        }
        return removed;
    }

    private void cleanupIfDue(long nowNanos) {
        if (nowNanos - lastCleanupNanos >= cleanupIntervalNanos) {
            cleanup(nowNanos);
        }
    }
}
