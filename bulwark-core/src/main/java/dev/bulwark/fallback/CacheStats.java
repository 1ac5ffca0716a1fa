package dev.bulwark.fallback;

/**
 * A result cache's counters.
 *
 * @param hits fresh values served
 * @param staleHits values served past their time-to-live but within the maximum staleness
 * @param misses lookups that found nothing usable
 * @param evictions entries dropped to stay within the size bound
 * @param size entries held now
 */
public record CacheStats(long hits, long staleHits, long misses, long evictions, int size) {
}
