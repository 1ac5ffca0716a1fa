package dev.bulwark.fallback;

import dev.bulwark.ConfigException;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.GivenSettings;
import dev.bulwark.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The last good result per key, for the cache fallback strategy ({@link FallbackStrategy#cache}): bounded, fresh
 * for {@code timeToLive}, and still usable as a fallback (stale-if-error) up to {@code maxStaleness}. Null keys and
 * values are refused. This class is thread-safe, and neither reads nor puts take a lock.
 *
 * <p>It never holds more than {@code maxEntries}. When a new key finds it full, an entry not used recently goes:
 * the policy is CLOCK, the usual approximation of least recently used. Entries wait in insertion order; the oldest
 * goes first unless it was read or put since the last eviction that looked at it, which buys it a second chance.
 * So an entry used since the last round of evictions survives the next eviction, and among entries nobody used,
 * the oldest put goes first.
 *
 * <pre>{@code
 * ResultCache<String, String> answers = ResultCache.builder("answers")
 *         .maxEntries(10_000).timeToLive(Duration.ofMinutes(5)).maxStaleness(Duration.ofHours(24)).build();
 * }</pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ResultCache<K, V> {

    private final Config config;
    private final long ttlNanos;
    private final long maxStaleNanos;
    private final CacheSlots<K, V> entries;
    private final LongAdder hits = new LongAdder();
    private final LongAdder staleHits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    private ResultCache(Config config) {
        this.config = Objects.requireNonNull(config, "config");
        this.ttlNanos = config.timeToLive().toNanos();
        this.maxStaleNanos = config.maxStaleness().toNanos();
        this.entries = new CacheSlots<>(config.maxEntries(), evictions);
    }

    /** A builder for a cache called {@code name}, with the defaults. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A cache with the given settings. */
    public static <K, V> ResultCache<K, V> of(Config config) {
        return new ResultCache<>(config);
    }

    /** This cache's settings. */
    public Config config() {
        return config;
    }

    /** Stores the latest good value for {@code key}. */
    public void put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        entries.put(key, value, config.clock().nanoTime());
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
        CacheSlots.Stored<V> entry = entries.get(key);
        long age = entry == null ? Long.MAX_VALUE : config.clock().nanoTime() - entry.storedNanos();
        if (entry == null || age > maxAgeNanos) {
            if (entry != null && age > maxStaleNanos) {
                entries.removeIfUnchanged(key, entry); // too old for anything
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
    }

    /** The counters now; read one by one while others may count, so only a quiet cache gives a consistent set. */
    public Stats stats() {
        return new Stats(hits.sum(), staleHits.sum(), misses.sum(), evictions.sum(), entries.size());
    }

    /** The entry map's own count, which may run ahead of its contents while puts race (for tests). */
    int mapCount() {
        return entries.mapCount();
    }

    @Override
    public String toString() {
        return "ResultCache[" + config.name() + "]";
    }

    /**
     * A result cache's counters.
     *
     * @param hits fresh values served
     * @param staleHits values served past their time-to-live but within the maximum staleness
     * @param misses lookups that found nothing usable
     * @param evictions entries dropped to stay within the size bound
     * @param size entries held now
     */
    public record Stats(long hits, long staleHits, long misses, long evictions, int size) {
    }

    /**
     * The immutable settings of a {@link ResultCache}.
     *
     * @param name the cache's name, non-blank
     * @param maxEntries the most entries held, in [1, 10000000] (default 10000)
     * @param timeToLive how long a value is fresh, positive (default 5 minutes)
     * @param maxStaleness how long a value may still be served as a fallback, {@code >= timeToLive} (default 1 hour)
     * @param clock the time source (default {@link Clock#system()})
     */
    public record Config(String name, int maxEntries, Duration timeToLive, Duration maxStaleness, Clock clock) {

        /** Validates every field. @throws ConfigException naming the field, value and range */
        public Config {
            String who = "result cache '" + Checks.name("result cache", name) + "'";
            Checks.between(who, "maxEntries", maxEntries, 1, 10_000_000);
            Checks.positive(who, "timeToLive", timeToLive);
            Checks.positive(who, "maxStaleness", maxStaleness);
            if (maxStaleness.compareTo(timeToLive) < 0) {
                throw new ConfigException(who, "maxStaleness", maxStaleness, ">= timeToLive (" + timeToLive + ")");
            }
            Objects.requireNonNull(clock, "clock");
        }

        /** A builder starting from this config's values, none of them given yet, so each may be overridden once. */
        public Builder toBuilder() {
            Builder builder = new Builder(name);
            builder.maxEntries = maxEntries;
            builder.timeToLive = timeToLive;
            builder.maxStaleness = maxStaleness;
            builder.clock = clock;
            return builder;
        }
    }

    /** Builds a {@link Config} or a {@link ResultCache}. Each setting may be given once; a second call fails naming it. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final GivenSettings given = new GivenSettings();
        private int maxEntries = 10_000;
        private Duration timeToLive = Duration.ofMinutes(5);
        private Duration maxStaleness = Duration.ofHours(1);
        private Clock clock = Clock.system();

        private Builder(String name) {
            this.name = name;
        }

        private String who() {
            return "result cache '" + name + "'";
        }

        /** The most entries held; when full, one not used recently goes first (see {@link ResultCache}; default 10000). */
        public Builder maxEntries(int maxEntries) {
            given.mark(who(), "maxEntries");
            this.maxEntries = maxEntries;
            return this;
        }

        /** How long a value is fresh (default 5 minutes). */
        public Builder timeToLive(Duration timeToLive) {
            given.mark(who(), "timeToLive");
            this.timeToLive = Objects.requireNonNull(timeToLive, "timeToLive");
            return this;
        }

        /** How long a value may still be served as a fallback, at least the time to live (default 1 hour). */
        public Builder maxStaleness(Duration maxStaleness) {
            given.mark(who(), "maxStaleness");
            this.maxStaleness = Objects.requireNonNull(maxStaleness, "maxStaleness");
            return this;
        }

        /** The time source (default {@link Clock#system()}). */
        public Builder clock(Clock clock) {
            given.mark(who(), "clock");
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The config. @throws ConfigException for an invalid setting */
        public Config buildConfig() {
            String who = "result cache '" + Checks.name("result cache", name) + "'";
            return new Config(name, maxEntries, Checks.positive(who, "timeToLive", timeToLive),
                    Checks.positive(who, "maxStaleness", maxStaleness), clock);
        }

        /** The cache, for keys {@code K} and values {@code V}. @throws ConfigException for an invalid setting */
        public <K, V> ResultCache<K, V> build() {
            return new ResultCache<>(buildConfig());
        }
    }
}
