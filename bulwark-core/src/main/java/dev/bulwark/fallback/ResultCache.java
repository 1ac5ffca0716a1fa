package dev.bulwark.fallback;

import dev.bulwark.internal.Checks;
import dev.bulwark.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The last good result per key, for the use-cache fallback strategy: bounded (least recently used entries go
 * first), fresh for {@code timeToLive}, and still usable as a fallback (stale-if-error) up to
 * {@code maxStaleness}. This class is thread-safe.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ResultCache<K, V> {

    private record Entry<V>(V value, long storedNanos) {
    }

    private final int maxEntries;
    private final long ttlNanos;
    private final long maxStaleNanos;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<K, Entry<V>> entries;
    private final LongAdder hits = new LongAdder();
    private final LongAdder staleHits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    /**
     * @throws dev.bulwark.ConfigException if {@code maxEntries} is not positive, {@code timeToLive} is not
     *         positive or {@code maxStaleness} is shorter than it
     */
    public ResultCache(int maxEntries, Duration timeToLive, Duration maxStaleness, Clock clock) {
        String who = "result cache";
        Checks.between(who, "maxEntries", maxEntries, 1, 10_000_000);
        Checks.positive(who, "timeToLive", timeToLive);
        Checks.positive(who, "maxStaleness", maxStaleness);
        if (maxStaleness.compareTo(timeToLive) < 0) {
            throw new dev.bulwark.ConfigException(who, "maxStaleness", maxStaleness, ">= timeToLive (" + timeToLive + ")");
        }
        this.maxEntries = maxEntries;
        this.ttlNanos = timeToLive.toNanos();
        this.maxStaleNanos = maxStaleness.toNanos();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
                boolean evict = size() > ResultCache.this.maxEntries;
                if (evict) {
                    evictions.increment();
                }
                return evict;
            }
        };
    }

    /** Stores the latest good value for {@code key}. */
    public void put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        lock.lock();
        try {
            entries.put(key, new Entry<>(value, clock.nanoTime()));
        } finally {
            lock.unlock();
        }
    }

    /** The value if it is still fresh. */
    public Optional<V> fresh(K key) {
        return lookup(key, ttlNanos, false);
    }

    /** The value if it is fresh or within the maximum staleness: what a fallback may serve. */
    public Optional<V> usable(K key) {
        return lookup(key, maxStaleNanos, true);
    }

    private Optional<V> lookup(K key, long maxAgeNanos, boolean staleAllowed) {
        lock.lock();
        try {
            Entry<V> entry = entries.get(key);
            long age = entry == null ? Long.MAX_VALUE : clock.nanoTime() - entry.storedNanos();
            if (entry == null || age > maxAgeNanos) {
                if (entry != null && age > maxStaleNanos) {
                    entries.remove(key); // too old for anything
                }
                misses.increment();
                return Optional.empty();
            }
            if (age > ttlNanos && staleAllowed) {
                staleHits.increment();
            } else {
                hits.increment();
            }
            return Optional.of(entry.value());
        } finally {
            lock.unlock();
        }
    }

    /** The counters now. */
    public CacheStats stats() {
        lock.lock();
        try {
            return new CacheStats(hits.sum(), staleHits.sum(), misses.sum(), evictions.sum(), entries.size());
        } finally {
            lock.unlock();
        }
    }
}
