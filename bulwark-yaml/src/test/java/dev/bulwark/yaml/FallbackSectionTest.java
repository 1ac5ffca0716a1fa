package dev.bulwark.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An adapter's {@code fallback:}: strategies in the given or the default order, ranges at file and line. */
class FallbackSectionTest {

    @Test
    void withoutAnOrderTheStrategiesGivenRunInTheDefaultOrder() {
        GatewayConfig config = GatewayConfigLoader.parse("g.yaml", """
                adapters:
                  - name: a
                    url: http://h/a
                    fallback:
                      cache: {}
                      degrade:
                        body_template: '{"q": "{{query}}", "max": 5}'
                      switch_provider: [http://b/a, http://c/a]
                """);

        assertThat(config.adapters().get(0).fallback()).isEqualTo(new AdapterFallback(List.of(
                AdapterFallback.Strategy.SWITCH_PROVIDER, AdapterFallback.Strategy.DEGRADE, AdapterFallback.Strategy.CACHE),
                List.of(URI.create("http://b/a"), URI.create("http://c/a")), null, "{\"q\": \"{{query}}\", \"max\": 5}",
                Duration.ofMinutes(5), Duration.ofHours(24)));
    }

    @Test
    void invalidValuesFailWithFieldValueAndRange() {
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                adapters:
                  - name: a
                    fallback:
                      order: [cache, cache]
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:4: adapters[0].fallback.order must be each strategy once, was [CACHE, CACHE]");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                adapters:
                  - name: a
                    fallback:
                      order: [retry]
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:4: adapters[0].fallback.order must list switch_provider, degrade, cache or queue_for_later, was retry");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                adapters:
                  - name: a
                    fallback:
                      switch_provider: [not-a-url]
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:4: adapters[0].fallback.switch_provider must list http(s) URLs, was not-a-url");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                adapters:
                  - name: a
                    fallback:
                      order: [switch_provider]
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:4: adapters[0].fallback.switch_provider must be at least one URL, was []");
    }

    @Test
    void queueForLaterRunsLastByDefaultWithItsDirectoryIntervalAndCapacity() {
        GatewayConfig config = GatewayConfigLoader.parse("g.yaml", """
                adapters:
                  - name: a
                    url: http://h/a
                    fallback:
                      queue_for_later:
                        directory: data/queue
                        drain_interval: 10s
                        capacity: 50
                      cache: {}
                """);

        AdapterFallback fallback = config.adapters().get(0).fallback();
        assertThat(fallback.order()).containsExactly(AdapterFallback.Strategy.CACHE,
                AdapterFallback.Strategy.QUEUE_FOR_LATER);
        assertThat(fallback.queue()).isEqualTo(new AdapterFallback.Queue(java.nio.file.Path.of("data/queue"),
                Duration.ofSeconds(10), 50));
    }

    @Test
    void invalidQueueForLaterValuesFailWithFileLineFieldValueAndRange() {
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                adapters:
                  - name: a
                    fallback:
                      queue_for_later:
                        directory: data
                        capacity: 0
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:6: adapters[0].fallback.queue_for_later.capacity must be an integer in [1, 1000000], was 0");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                adapters:
                  - name: a
                    fallback:
                      queue_for_later:
                        directory: data
                        drain_interval: 0s
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith("g.yaml:6: adapters[0].fallback.queue_for_later.drain_interval must be a duration")
                .hasMessageContaining("was 0s");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                adapters:
                  - name: a
                    fallback:
                      queue_for_later:
                        capacity: 5
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("adapters[0].fallback.queue_for_later.directory is required");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                adapters:
                  - name: a
                    fallback:
                      order: [queue_for_later]
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:4: adapters[0].fallback.queue_for_later must be a block with a directory, was {}");
    }

    @Test
    void loadShedAloneIsAFallbackBlockWithItsDefaults() {
        GatewayConfig config = GatewayConfigLoader.parse("g.yaml", """
                adapters:
                  - name: a
                    url: http://h/a
                    fallback:
                      load_shed:
                        capacity: 20
                """);

        AdapterFallback fallback = config.adapters().get(0).fallback();
        assertThat(fallback.order()).isEmpty();
        assertThat(fallback.loadShed()).isEqualTo(new AdapterFallback.LoadShed(20, "X-Priority", Duration.ofSeconds(1)));
    }

    @Test
    void invalidLoadShedValuesFailWithFileLineFieldValueAndRange() {
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                adapters:
                  - name: a
                    fallback:
                      load_shed:
                        capacity: 0
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:5: adapters[0].fallback.load_shed.capacity must be an integer in [1, 10000000], was 0");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                adapters:
                  - name: a
                    fallback:
                      load_shed:
                        capacity: 5
                        priority_header: 'X Priority'
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:6: adapters[0].fallback.load_shed.priority_header must be a header name of 1 to 64 "
                        + "letters, digits and '-', was X Priority");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                adapters:
                  - name: a
                    fallback:
                      load_shed:
                        priority_header: X-P
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("adapters[0].fallback.load_shed.capacity is required");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                adapters:
                  - name: a
                    fallback:
                      load_shed:
                        capacity: 5
                        retry_after: 2h
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("retry_after").hasMessageContaining("[1 s, 1 h]");
    }
}
