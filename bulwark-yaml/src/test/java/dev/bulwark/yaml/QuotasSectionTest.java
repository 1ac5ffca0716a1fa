package dev.bulwark.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code quotas:}: keys, defaults (70 % / 90 %, degrade, reject) and ranges at file and line. */
class QuotasSectionTest {

    @Test
    void theBlockIsReadWithItsDefaults() {
        GatewayConfig config = GatewayConfigLoader.parse("g.yaml", """
                quotas:
                  key_header: X-Team
                  limit: 100
                  keys:
                    team-a: 500
                adapters:
                  - name: a
                """);

        assertThat(config.quotas()).isEqualTo(new GatewayQuotas("X-Team", null, Duration.ofMinutes(1), 100,
                Map.of("team-a", 500.0), 70, 90, GatewayQuotas.Action.DEGRADE, GatewayQuotas.Action.REJECT));
        assertThat(GatewayConfigLoader.parse("g.yaml", "adapters:\n  - name: a\n").quotas()).isNull();
    }

    @Test
    void invalidValuesFailWithFieldValueAndRange() {
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                quotas:
                  key_header: X-Team
                  limit: 100
                  warning_percent: 80
                  critical_percent: 60
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:5: quotas.critical_percent must be in [80.0, 100.0], was 60.0");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                quotas:
                  key_header: X-Team
                  limit: 100
                  on_exhausted: degrade
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:4: quotas.on_exhausted must be reject, cache, switch_provider or queue_for_later, was degrade");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                quotas:
                  key_header: X-Team
                  limit: 100
                  keys:
                    team-a: -5
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:5: quotas.keys.team-a must be in (0.0, 1.0E15], was -5.0");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                quotas:
                  key_header: X Team
                  limit: 100
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:2: quotas.key_header must be a header name of letters, digits and '-', was X Team");
        assertThatThrownBy(() -> GatewayConfigLoader.parse("g.yaml", """
                quotas:
                  key_header: X-Team
                adapters:
                  - name: a
                """)).isInstanceOf(ConfigFileException.class).hasMessage("g.yaml:2: quotas.limit is required");
    }
}
