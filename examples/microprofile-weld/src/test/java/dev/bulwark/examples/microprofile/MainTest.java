package dev.bulwark.examples.microprofile;

import static org.assertj.core.api.Assertions.assertThat;

import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void configuredRetriesThenFallback() {
        try (WeldContainer container = new Weld().initialize()) {
            PriceService prices = container.select(PriceService.class).get();
            assertThat(prices.price("coffee")).isEqualTo("coffee: 9.99 (cached)");
            // maxRetries 5 in the annotation, 2 in microprofile-config.properties: 1 call + 2 retries
            assertThat(prices.calls()).isEqualTo(3);
        }
    }
}
