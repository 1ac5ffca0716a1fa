package dev.bulwark.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The most recent entries, oldest first: at most {@code capacity} (the oldest is dropped to make room)
 * and, when a maximum age is given, none older than it once an expiry has run. Expiry runs on
 * {@link #expire} and, at most once per {@code expireEvery}, on adds and snapshots. Times are in the
 * caller's unit (nanoTime or wall millis), compared by difference only. Entries are rare events, so one
 * lock guards the deque; it is held only for memory operations.
 *
 * <p>This class is thread-safe.
 *
 * @param <E> the entry type
 */
public final class BoundedHistory<E> {
    private record Entry<E>(long at, E value) {
    }

    private final int capacity;
    private final long maxAge;
    private final long expireEvery;
    private final ArrayDeque<Entry<E>> entries = new ArrayDeque<>(); // guarded by this
    private long lastExpiry; // guarded by this

    /** A history bounded by size only. */
    public BoundedHistory(int capacity) {
        this(capacity, Long.MAX_VALUE, Long.MAX_VALUE, 0);
    }

    /**
     * A history bounded by size and age: entries older than {@code maxAge} go at the first expiry at least
     * {@code expireEvery} after the previous one ({@code 0}: on every add and snapshot).
     */
    public BoundedHistory(int capacity, long maxAge, long expireEvery, long now) {
        atLeastZero("capacity", capacity);
        atLeastZero("maxAge", maxAge);
        atLeastZero("expireEvery", expireEvery);
        this.capacity = capacity;
        this.maxAge = maxAge;
        this.expireEvery = expireEvery;
        this.lastExpiry = now;
    }

    /** Appends an entry to a history bounded by size only. */
    public void add(E value) {
        add(value, 0L);
    }

    /** Appends an entry that happened at {@code now}; with capacity 0 nothing is kept. */
    public synchronized void add(E value, long now) {
        if (capacity == 0) {
            return;
        }
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(new Entry<>(now, value));
        expireIfDue(now);
    }

    /** The entries, oldest first, after an expiry if one is due. */
    public synchronized List<E> snapshot(long now) {
        expireIfDue(now);
        return snapshot();
    }

    /** The entries, oldest first, as they stand. */
    public synchronized List<E> snapshot() {
        List<E> copy = new ArrayList<>(entries.size());
        for (Entry<E> entry : entries) {
            copy.add(entry.value());
        }
        return List.copyOf(copy);
    }

    /** The newest entry, or null when empty. */
    public synchronized @Nullable E latest() {
        Entry<E> newest = entries.peekLast();
        return newest == null ? null : newest.value();
    }

    /** Drops the entries older than the maximum age at {@code now}; returns how many. */
    public synchronized int expire(long now) {
        lastExpiry = now;
        int removed = 0;
        while (!entries.isEmpty() && now - entries.peekFirst().at() > maxAge) {
            entries.removeFirst();
            removed++;
        }
        return removed;
    }

    private static void atLeastZero(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 0, was " + value);
        }
    }

    private void expireIfDue(long now) {
        if (maxAge != Long.MAX_VALUE && (expireEvery == 0 || now - lastExpiry >= expireEvery)) {
            expire(now);
        }
    }
}
