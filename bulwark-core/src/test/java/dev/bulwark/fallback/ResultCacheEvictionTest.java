package dev.bulwark.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The documented bound and eviction policy of {@link ResultCache}: never more than {@code maxEntries}; when full, an
 * entry used since the last round of evictions survives, and among entries nobody used the oldest put goes first.
 */
class ResultCacheEvictionTest {

    private final ManualClock clock = new ManualClock();

    private ResultCache<Integer, String> cache(int maxEntries) {
        return ResultCache.builder("cache").maxEntries(maxEntries).timeToLive(Duration.ofMinutes(1))
                .maxStaleness(Duration.ofMinutes(10)).clock(clock).build();
    }

    @Test
    void entriesReadOrPutAgainSurviveWhileTheUnusedOnesGoOldestFirst() {
        ResultCache<Integer, String> cache = cache(100);
        for (int key = 0; key < 100; key++) {
            cache.put(key, "v" + key);
        }
        for (int key = 0; key < 100; key += 10) {
            cache.usable(key); // read: 0, 10, ..., 90
        }
        cache.put(55, "again"); // put again: counts as used

        for (int key = 100; key < 150; key++) {
            cache.put(key, "v" + key);
        }

        assertThat(cache.stats().size()).isEqualTo(100);
        assertThat(cache.stats().evictions()).isEqualTo(50);
        for (int key = 0; key < 100; key += 10) {
            assertThat(cache.fresh(key)).as("read before the evictions: %s", key).contains("v" + key);
        }
        assertThat(cache.fresh(55)).contains("again");
        // 50 evicted among the 89 unused, oldest first: 1..9, 11..19, ... up to the 50th of them
        List<Integer> unused = new ArrayList<>();
        for (int key = 0; key < 100; key++) {
            if (key % 10 != 0 && key != 55) {
                unused.add(key);
            }
        }
        for (int key : unused.subList(0, 50)) {
            assertThat(cache.fresh(key)).as("unused and among the oldest: %s", key).isEmpty();
        }
        for (int key : unused.subList(50, unused.size())) {
            assertThat(cache.fresh(key)).as("unused but newer: %s", key).contains("v" + key);
        }
        for (int key = 100; key < 150; key++) {
            assertThat(cache.fresh(key)).as("just put: %s", key).contains("v" + key);
        }
    }

    @Test
    void anEntryRemovedForAgeFreesItsPlaceWithoutAnEviction() {
        ResultCache<Integer, String> cache = cache(2);
        cache.put(1, "one");
        cache.put(2, "two");
        clock.advance(Duration.ofMinutes(11));
        assertThat(cache.usable(1)).isEmpty();

        cache.put(3, "three");

        assertThat(cache.stats().evictions()).isZero();
        assertThat(cache.stats().size()).isEqualTo(2);
        assertThat(cache.usable(3)).contains("three");
    }

    @Test
    void aKeyPutAgainAfterItsEvictionIsServedAgain() {
        ResultCache<Integer, String> cache = cache(1);
        cache.put(1, "one");
        cache.put(2, "two");
        cache.put(1, "one again");

        assertThat(cache.usable(2)).isEmpty();
        assertThat(cache.usable(1)).contains("one again");
        assertThat(cache.stats().evictions()).isEqualTo(2);
        assertThat(cache.stats().size()).isEqualTo(1);
    }

    /**
     * Eight threads put and read keys from a range four times the bound, while a watcher reads the size. Invariants:
     * the size is never over the bound, every value read is one put for that key, and once the threads are done the
     * cache is exactly full (a slot lost or counted twice would show here) and every eviction made room for a key.
     */
    @Test
    void manyThreadsNeverOverfillItAndReadOnlyValuesPutForTheKey() throws Exception {
        int maxEntries = 64;
        int keys = 4 * maxEntries;
        int threads = 8;
        int perThread = 50_000;
        ResultCache<Integer, String> cache = cache(maxEntries);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger wrongValues = new AtomicInteger();
        try {
            Future<Integer> watcher = pool.submit(() -> {
                start.await(5, TimeUnit.SECONDS);
                int largest = 0;
                while (running.get()) {
                    largest = Math.max(largest, cache.mapCount());
                }
                return largest;
            });
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < perThread; i++) {
                        int key = random.nextInt(keys);
                        if (random.nextBoolean()) {
                            cache.put(key, key + ":" + thread + ":" + i);
                        } else {
                            cache.usable(key).filter(value -> !value.startsWith(key + ":"))
                                    .ifPresent(wrong -> wrongValues.incrementAndGet());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
            running.set(false);

            // the map's count is updated just after an entry goes in or out, so it may run ahead of the contents by one
            // per racing thread; without the reservations it would grow towards all the keys (four times the bound)
            assertThat(watcher.get(5, TimeUnit.SECONDS)).isBetween(1, maxEntries + threads);
            assertThat(wrongValues.get()).isZero();
            ResultCache.Stats stats = cache.stats();
            assertThat(stats.size()).isEqualTo(maxEntries);
            int present = 0;
            for (int key = 0; key < keys; key++) {
                present += cache.fresh(key).isPresent() ? 1 : 0;
            }
            assertThat(present).isEqualTo(maxEntries);
            for (int key = keys; key < keys + maxEntries; key++) {
                cache.put(key, "after");
            }
            assertThat(cache.stats().size()).as("every slot can still be reused").isEqualTo(maxEntries);
            assertThat(cache.stats().evictions()).isEqualTo(stats.evictions() + maxEntries);
        } finally {
            running.set(false);
            pool.shutdownNow();
        }
    }
}
