package dev.bulwark.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerLimitsSectionTest {
    private static final String ADAPTERS = "adapters:\n  - name: a\n    url: http://127.0.0.1:1/a\n";

    @Test
    void withoutSettingsTheLimitsAreTheDefaultsAndNoClientIsLimited() {
        ServerLimits limits = GatewayConfigLoader.parse("g.yaml", ADAPTERS).server().limits();

        assertThat(limits).isEqualTo(ServerLimits.defaults());
        assertThat(limits.clientRateLimit()).isNull();
        assertThat(limits.maxAdaptersPerQuery()).isEqualTo(16);
    }

    @Test
    void everyLimitIsReadFromTheServerBlock() {
        ServerLimits limits = GatewayConfigLoader.parse("g.yaml", """
                server:
                  max_adapters_per_query: 3
                  header_read_timeout: 300ms
                  idle_timeout: 5s
                  accept_queue_size: 64
                  client_rate_limit:
                    permits_per_second: 2.5
                    burst: 4
                    client_header: X-Tenant
                    max_clients: 100
                """ + ADAPTERS).server().limits();

        assertThat(limits).isEqualTo(new ServerLimits(3, new ServerLimits.ClientRateLimit(2.5, 4, "X-Tenant", 100),
                Duration.ofMillis(300), Duration.ofSeconds(5), 64));
    }

    @Test
    void aDisabledClientLimitIsOff() {
        ServerLimits limits = GatewayConfigLoader.parse("g.yaml", "server:\n  client_rate_limit:\n    enabled: false\n"
                + ADAPTERS).server().limits();

        assertThat(limits.clientRateLimit()).isNull();
    }

    @Test
    void anOutOfRangeLimitNamesFileLineFieldAndRange() {
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", "server:\n  max_adapters_per_query: 0\n" + ADAPTERS))
                .isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:2: server.max_adapters_per_query must be an integer in [1, 1000], was 0");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml",
                "server:\n  client_rate_limit:\n    client_header: 'X Client'\n" + ADAPTERS))
                .isInstanceOf(ConfigFileException.class).hasMessageContaining("g.yaml:3: server.client_rate_limit.client_header");
    }
}
