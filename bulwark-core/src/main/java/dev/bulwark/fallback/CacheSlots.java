package dev.bulwark.fallback;

import dev.bulwark.internal.VarHandles;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The entries of a {@link ResultCache}, without a lock: a concurrent map, bounded by a count each new key reserves
 * before it goes in (so the map never holds more than {@code maxEntries}), evicting by the CLOCK policy: entries wait
 * in a queue in insertion order, and to make room the hand takes the head; one read or written since the hand last
 * passed it gets a second chance (back to the tail, its mark cleared), the first without a mark goes. Reads write
 * nothing shared but the entry's mark, and only when it is not set yet. This class is thread-safe.
 */
final class CacheSlots<K, V> {
    /** A value and when it was stored; one object, so that a reader sees both of one put. */
    record Stored<V>(V value, long storedNanos) {
    }

    /** One key's slot: its current value (or {@link #GONE} once removed) and its second-chance mark. */
    static final class Slot<K, V> {
        private static final VarHandle STORED = VarHandles.field(MethodHandles.lookup(), "stored", Stored.class);

        final K key;
        volatile Stored<V> stored;
        volatile boolean used;

        Slot(K key, Stored<V> stored) {
            this.key = key;
            this.stored = stored;
        }

        boolean replace(Stored<V> expected, Stored<V> next) {
            return STORED.compareAndSet(this, expected, next);
        }

        void markUsed() {
            if (!used) {
                used = true;
            }
        }
    }

    /** What a removed slot holds: a put that finds it inserts a new slot instead. */
    private static final Stored<Object> GONE = new Stored<>(new Object(), 0L);

    private final ConcurrentHashMap<K, Slot<K, V>> slots = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Slot<K, V>> hand = new ConcurrentLinkedQueue<>();
    /** Slots reserved: at least the map's size at every moment, at most {@code maxEntries}. */
    private final AtomicInteger reserved = new AtomicInteger();
    /** Slots removed for age but still queued; past {@code maxEntries} the queue is swept. */
    private final AtomicInteger queuedGone = new AtomicInteger();
    private final int maxEntries;
    private final LongAdder evictions;

    CacheSlots(int maxEntries, LongAdder evictions) {
        this.maxEntries = maxEntries;
        this.evictions = evictions;
    }

    @SuppressWarnings("unchecked")
    private static <V> Stored<V> gone() {
        return (Stored<V>) (Stored<?>) GONE;
    }

    /** Stores {@code value} for {@code key}, making room first when the key is new and the cache full. */
    void put(K key, V value, long nowNanos) {
        Stored<V> next = new Stored<>(value, nowNanos);
        for (;;) {
            Slot<K, V> slot = slots.get(key);
            if (slot != null) {
                Stored<V> current = slot.stored;
                if (current == gone()) {
                    slots.remove(key, slot); // its remover may not have got there yet
                } else if (slot.replace(current, next)) {
                    slot.markUsed();
                    return;
                }
            } else if (reserve() || evictOne()) {
                Slot<K, V> fresh = new Slot<>(key, next);
                if (slots.putIfAbsent(key, fresh) == null) {
                    hand.offer(fresh);
                    return;
                }
                reserved.decrementAndGet(); // another put of the same key won: replace its value instead
            }
        }
    }

    /** The stored value of {@code key}, or null; marks it used. */
    @Nullable Stored<V> get(K key) {
        Slot<K, V> slot = slots.get(key);
        if (slot == null) {
            return null;
        }
        Stored<V> stored = slot.stored;
        if (stored == gone()) {
            return null;
        }
        slot.markUsed();
        return stored;
    }

    /** Removes {@code key} if it still holds {@code expected} (a later put keeps it). */
    void removeIfUnchanged(K key, Stored<V> expected) {
        Slot<K, V> slot = slots.get(key);
        if (slot != null && remove(slot, expected, true) && queuedGone.incrementAndGet() > maxEntries) {
            queuedGone.set(0);
            hand.removeIf(queued -> queued.stored == gone());
        }
    }

    /**
     * Entries held. The map never holds more than {@code maxEntries}, but its count is updated just after an entry goes
     * in or out, so while puts race it can run ahead by one per racing thread; it is never reported above the bound.
     */
    int size() {
        return Math.min(slots.size(), maxEntries);
    }

    /** The map's own count, which may run ahead of its contents while puts race (for tests). */
    int mapCount() {
        return slots.size();
    }

    /** Removes {@code slot} if it still holds {@code expected}; its reservation is released or kept for the caller. */
    private boolean remove(Slot<K, V> slot, Stored<V> expected, boolean release) {
        if (!slot.replace(expected, gone())) {
            return false;
        }
        slots.remove(slot.key, slot);
        if (release) {
            reserved.decrementAndGet(); // after the map let go of it, so the map never holds more than reserved
        }
        return true;
    }

    private boolean reserve() {
        for (;;) {
            int taken = reserved.get();
            if (taken >= maxEntries) {
                return false;
            }
            if (reserved.compareAndSet(taken, taken + 1)) {
                return true;
            }
        }
    }

    /**
     * Evicts one slot by the CLOCK policy and hands its reservation to the caller (true). Returns false without
     * evicting when the queue is empty for the moment (the slots are in other threads' hands, being inserted or given
     * their second chance): the caller tries again.
     */
    private boolean evictOne() {
        // a second chance per slot at most: past two rounds of the queue, marks set meanwhile no longer save one
        int secondChances = 2 * maxEntries;
        for (;;) {
            Slot<K, V> slot = hand.poll();
            if (slot == null) {
                Thread.onSpinWait();
                return false;
            }
            Stored<V> current = slot.stored;
            if (current == gone()) {
                continue; // removed for age; the sweep's count may run a little high, which only sweeps sooner
            }
            if (slot.used && secondChances-- > 0) {
                slot.used = false;
                hand.offer(slot);
            } else if (remove(slot, current, false)) {
                evictions.increment();
                return true;
            } else {
                hand.offer(slot); // a put replaced its value just now: it was used
            }
        }
    }
}
