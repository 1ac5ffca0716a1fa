package dev.bulwark.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The anchor of {@link ResultCacheBenchmark}: {@code ResultCache} as it was before it went lock-free, an access-ordered
 * {@link LinkedHashMap} (exact least-recently-used eviction) behind one lock, with the same age checks and counters.
 */
final class LockedLruCache<K, V> {
    private record Entry<V>(V value, long storedNanos) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<K, Entry<V>> entries;
    private final LongSupplier nanoTime;
    private final long maxStaleNanos;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    LockedLruCache(int maxEntries, long maxStaleNanos, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.maxStaleNanos = maxStaleNanos;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
                boolean evict = size() > maxEntries;
                if (evict) {
                    evictions.increment();
                }
                return evict;
            }
        };
    }

    void put(K key, V value) {
        lock.lock();
        try {
            entries.put(key, new Entry<>(value, nanoTime.getAsLong()));
        } finally {
            lock.unlock();
        }
    }

    Optional<V> usable(K key) {
        lock.lock();
        try {
            Entry<V> entry = entries.get(key);
            long age = entry == null ? Long.MAX_VALUE : nanoTime.getAsLong() - entry.storedNanos();
            if (entry == null || age > maxStaleNanos) {
                if (entry != null) {
                    entries.remove(key);
                }
                misses.increment();
                return Optional.empty();
            }
            hits.increment();
            return Optional.of(entry.value());
        } finally {
            lock.unlock();
        }
    }
}
