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
                .hasMessage("g.yaml:4: adapters[0].fallback.order must list switch_provider, degrade or cache, was retry");
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
}
