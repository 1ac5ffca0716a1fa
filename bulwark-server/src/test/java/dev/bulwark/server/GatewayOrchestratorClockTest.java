package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.mode.ModeOrchestrator;
import dev.bulwark.yaml.GatewayConfigLoader;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The {@code modes:} orchestrator of a gateway started from its configuration reads exact time like the rest of the
 * gateway, so no coarse-clock ticker thread wakes every millisecond under load, and keeps every setting the
 * {@code modes:} block gave.
 */
class GatewayOrchestratorClockTest {

    @Test
    void theConfiguredOrchestratorReadsExactTimeAndKeepsItsSettings() {
        String yaml = "modes:\n  cooldown: 7s\n  evaluation_interval: 250ms\n"
                + "adapters:\n  - name: a\n    url: http://127.0.0.1:1/a\n";

        ModeOrchestrator.Config config = Gateway.orchestratorOf(GatewayConfigLoader.parse("modes.yaml", yaml)).config();

        assertThat(config.clock()).isSameAs(ExactClock.INSTANCE);
        assertThat(config.cooldown()).isEqualTo(Duration.ofSeconds(7));
        assertThat(config.evaluationInterval()).isEqualTo(Duration.ofMillis(250));
    }
}
