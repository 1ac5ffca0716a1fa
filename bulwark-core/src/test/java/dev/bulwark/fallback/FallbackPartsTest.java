package dev.bulwark.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.ExecutionContext;
import dev.bulwark.fallback.LoadShedder.Priority;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FallbackPartsTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void theCacheServesFreshValuesThenStaleOnesThenNothing() {
        ResultCache<String, String> cache = ResultCache.builder("cache").maxEntries(10).timeToLive(Duration.ofMinutes(1)).maxStaleness(Duration.ofMinutes(10)).clock(clock).build();
        cache.put("q", "answer");

        assertThat(cache.fresh("q")).contains("answer");
        clock.advance(Duration.ofMinutes(2));
        assertThat(cache.fresh("q")).isEmpty();
        assertThat(cache.usable("q")).as("stale-if-error").contains("answer");
        clock.advance(Duration.ofMinutes(9));
        assertThat(cache.usable("q")).isEmpty();

        assertThat(cache.stats()).isEqualTo(new ResultCache.Stats(1, 1, 2, 0, 0));
    }

    @Test
    void theCacheIsBoundedDroppingTheLeastRecentlyUsed() {
        ResultCache<Integer, String> cache = ResultCache.builder("cache").maxEntries(2).timeToLive(Duration.ofMinutes(1)).maxStaleness(Duration.ofMinutes(1)).clock(clock).build();
        cache.put(1, "one");
        cache.put(2, "two");
        cache.fresh(1);
        cache.put(3, "three");

        assertThat(cache.fresh(2)).isEmpty();
        assertThat(cache.fresh(1)).contains("one");
        assertThat(cache.stats().evictions()).isEqualTo(1);
        assertThatThrownBy(() -> ResultCache.builder("cache").maxEntries(1).timeToLive(Duration.ofMinutes(5)).maxStaleness(Duration.ofMinutes(1)).clock(clock).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("result cache 'cache': maxStaleness must be >= timeToLive (PT5M), was PT1M");
    }

    private static ExecutionContext priority(String level) {
        return ExecutionContext.detached().with(Priority.KEY, Priority.valueOf(level.toUpperCase(java.util.Locale.ROOT)));
    }

    @Test
    void lowerPrioritiesAreShedFirstAsConcurrencyRises() throws Exception {
        LoadShedder shedder = LoadShedder.of("api", 10);
        for (int i = 0; i < 5; i++) {
            shedder.executeAsync(priority("low"), context -> new CompletableFuture<>());
        }

        assertThatThrownBy(() -> shedder.execute(priority("low"), context -> "x")).isInstanceOf(LoadShedException.class)
                .hasMessage("load shedder 'api' shed a LOW call: 5 of 10 in flight");
        String normal = shedder.execute(priority("normal"), context -> "normal still runs");
        assertThat(normal).isEqualTo("normal still runs");
        for (int i = 0; i < 4; i++) {
            shedder.executeAsync(priority("high"), context -> new CompletableFuture<>());
        }
        assertThat(shedder.tryAcquire(Priority.HIGH)).as("9 of 10: HIGH stops at 90 %").isFalse();
        assertThat(shedder.tryAcquire(Priority.CRITICAL)).isTrue();
        assertThat(shedder.tryAcquire(Priority.CRITICAL)).isFalse();
        assertThat(shedder.shedCalls(Priority.LOW)).isEqualTo(1);
    }

    @Test
    void aShedSignalRefusesTheCallsItNamesBeforeConcurrencyCounts() throws Exception {
        Priority[] shedBelow = {Priority.NORMAL};
        LoadShedder shedder = LoadShedder.of("llm", 100)
                .watching(priority -> priority.compareTo(shedBelow[0]) < 0 ? "strained" : null);

        assertThatThrownBy(() -> shedder.execute(priority("low"), context -> "x"))
                .hasMessage("load shedder 'llm' shed a LOW call: strained");
        assertThat(shedder.<String>execute(priority("normal"), context -> "ok")).isEqualTo("ok");
        shedBelow[0] = Priority.CRITICAL;
        assertThat(shedder.tryAcquire(Priority.HIGH)).isFalse();
        assertThat(shedder.tryAcquire(Priority.CRITICAL)).isTrue();
        assertThat(shedder.shedCalls(Priority.LOW)).isEqualTo(1);
        assertThat(shedder.shedCalls(Priority.HIGH)).isEqualTo(1);
    }
}
