package dev.bulwark.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.fallback.LoadShedder.Priority;
import dev.bulwark.fallback.LoadShedder.ShedSignal;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The load shedder and the result cache follow the builder template: config record, builder, toBuilder, of(config). */
class ShedderAndCacheConfigTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void aShedderNeedsItsCapacityAndChecksItsRangeAtBuild() {
        assertThatThrownBy(() -> LoadShedder.builder("api").build()).isInstanceOf(ConfigException.class)
                .hasMessage("load shedder 'api': capacity must be set (it has no default), was not set");
        assertThatThrownBy(() -> LoadShedder.builder("api").capacity(0).build()).isInstanceOf(ConfigException.class)
                .hasMessage("load shedder 'api': capacity must be in [1, 10000000], was 0");
        assertThatThrownBy(() -> LoadShedder.builder("api").capacity(1).capacity(2))
                .isInstanceOf(ConfigException.class)
                .hasMessage("load shedder 'api': capacity must be given at most once, was given twice");
        assertThatThrownBy(() -> LoadShedder.builder(" ").capacity(1).build()).isInstanceOf(ConfigException.class);
    }

    @Test
    void aShedderConfigRoundTripsAndWatchingKeepsTheOtherSettings() {
        ShedSignal lowAlways = priority -> priority == Priority.LOW ? "strained" : null;
        LoadShedder.Config config = LoadShedder.builder("api").capacity(4).clock(clock).buildConfig();
        assertThat(config.toBuilder().buildConfig()).isEqualTo(config);
        assertThat(LoadShedder.of(config).config()).isEqualTo(config);

        LoadShedder watching = LoadShedder.of(config).watching(lowAlways);
        assertThat(watching.config()).isEqualTo(new LoadShedder.Config("api", 4, lowAlways, clock));
        assertThat(watching.tryAcquire(Priority.LOW)).isFalse();
        assertThat(watching.tryAcquire(Priority.NORMAL)).isTrue();
        assertThatThrownBy(() -> config.toBuilder().signal(lowAlways).signal(lowAlways))
                .isInstanceOf(ConfigException.class).hasMessageContaining("signal must be given at most once");
    }

    @Test
    void aCacheHasDocumentedDefaultsAndChecksEverySettingAtBuild() {
        ResultCache.Config defaults = ResultCache.builder("c").buildConfig();
        assertThat(defaults.maxEntries()).isEqualTo(10_000);
        assertThat(defaults.timeToLive()).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.maxStaleness()).isEqualTo(Duration.ofHours(1));

        assertThatThrownBy(() -> ResultCache.builder("c").maxEntries(0).build()).isInstanceOf(ConfigException.class)
                .hasMessage("result cache 'c': maxEntries must be in [1, 10000000], was 0");
        assertThatThrownBy(() -> ResultCache.builder("c").timeToLive(Duration.ZERO).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("result cache 'c': timeToLive must be a positive duration, was PT0S");
        assertThatThrownBy(() -> ResultCache.builder("c").timeToLive(Duration.ofHours(2)).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("result cache 'c': maxStaleness must be >= timeToLive (PT2H), was PT1H");
        assertThatThrownBy(() -> ResultCache.builder("c").maxEntries(1).maxEntries(2)).isInstanceOf(ConfigException.class)
                .hasMessage("result cache 'c': maxEntries must be given at most once, was given twice");
    }

    @Test
    void aCacheConfigRoundTripsAndACacheOfItUsesItsSettings() {
        ResultCache.Config config = ResultCache.builder("c").maxEntries(1).timeToLive(Duration.ofSeconds(10))
                .maxStaleness(Duration.ofSeconds(20)).clock(clock).buildConfig();
        assertThat(config.toBuilder().buildConfig()).isEqualTo(config);
        assertThat(config.toBuilder().maxEntries(5).buildConfig().maxEntries()).isEqualTo(5);

        ResultCache<String, String> cache = ResultCache.of(config);
        assertThat(cache.config()).isEqualTo(config);
        cache.put("a", "A");
        cache.put("b", "B");
        assertThat(cache.usable("a")).as("one entry at most").isEmpty();
        clock.advance(Duration.ofSeconds(15));
        assertThat(cache.fresh("b")).isEmpty();
        assertThat(cache.usable("b")).contains("B");
        assertThat(cache.stats()).isEqualTo(new ResultCache.Stats(0, 1, 2, 1, 1));
    }
}
