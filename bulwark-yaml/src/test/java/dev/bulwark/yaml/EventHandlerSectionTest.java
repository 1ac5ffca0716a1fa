package dev.bulwark.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code event_handler:} globally and per adapter: each type's keys, defaults and ranges, at file and line. */
class EventHandlerSectionTest {

    @Test
    void eachTypeIsReadWithItsDefaults() {
        GatewayConfig config = GatewayConfigLoader.parse("g.yaml", """
                fault_tolerance:
                  event_handler:
                    type: monitoring
                    url: http://alerts.example/hook
                    headers:
                      Authorization: Bearer x
                adapters:
                  - name: a
                    fault_tolerance:
                      event_handler:
                        type: default
                  - name: b
                    fault_tolerance:
                      event_handler:
                        type: custom
                        class: java.lang.Object
                  - name: c
                """);

        assertThat(config.eventHandler()).isEqualTo(new EventHandlerConfig.Webhook(URI.create("http://alerts.example/hook"),
                1000, 3, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(5),
                Map.of("Authorization", "Bearer x")));
        assertThat(config.adapters().get(0).eventHandler())
                .isEqualTo(new EventHandlerConfig.FileLog(Path.of("bulwark-events.jsonl"), 10L << 20, 5));
        assertThat(config.adapters().get(1).eventHandler()).isEqualTo(new EventHandlerConfig.Custom("java.lang.Object"));
        assertThat(config.adapters().get(2).eventHandler()).isNull();
    }

    @Test
    void withoutTheBlockThereIsNoHandler() {
        assertThat(GatewayConfigLoader.parse("g.yaml", "adapters:\n  - name: a\n").eventHandler()).isNull();
    }

    @Test
    void anUnknownTypeFailsListingTheTypes() {
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                fault_tolerance:
                  event_handler:
                    type: syslog
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:3: fault_tolerance.event_handler.type must be default, monitoring or custom, was syslog");
    }

    @Test
    void outOfRangeValuesFailWithFieldValueAndRange() {
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                fault_tolerance:
                  event_handler:
                    type: default
                    max_files: 0
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:4: fault_tolerance.event_handler.max_files must be in [1, 100], was 0");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                adapters:
                  - name: a
                    fault_tolerance:
                      event_handler:
                        type: monitoring
                        url: http://h/x
                        queue_size: 0
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:7: adapters[0].fault_tolerance.event_handler.queue_size must be in [1, 1000000], was 0");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                fault_tolerance:
                  event_handler:
                    type: monitoring
                    url: ftp://h/x
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:4: fault_tolerance.event_handler.url must be an http(s) URL, was ftp://h/x");
    }

    @Test
    void aKeyOfAnotherTypeIsRefused() {
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                fault_tolerance:
                  event_handler:
                    type: default
                    url: http://h/x
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith("g.yaml:4: fault_tolerance.event_handler.url is not a known setting");
    }
}
