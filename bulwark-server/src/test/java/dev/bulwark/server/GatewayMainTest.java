package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.yaml.GatewayConfig;
import dev.bulwark.yaml.GatewayConfigLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayMainTest {
    private final GatewayConfig file = GatewayConfigLoader.parse("g.yaml",
            "server:\n  port: 9000\n  admin_token: from-file\nadapters:\n  - name: a\n    url: http://127.0.0.1:1/a\n");

    @Test
    void theEnvironmentWinsOverTheFileForPortAndToken() {
        GatewayConfig.Server server = GatewayMain.withEnvironment(file,
                Map.of("BULWARK_PORT", "9100", "BULWARK_ADMIN_TOKEN", "from-env")).server();

        assertThat(server.port()).isEqualTo(9100);
        assertThat(server.adminToken()).isEqualTo("from-env");
        assertThat(GatewayMain.withEnvironment(file, Map.of()).server()).isEqualTo(file.server());
    }

    @Test
    void aBadPortInTheEnvironmentIsAClearError() {
        assertThatThrownBy(() -> GatewayMain.withEnvironment(file, Map.of("BULWARK_PORT", "eighty")))
                .hasMessage("BULWARK_PORT must be a port number in [0, 65535], was 'eighty'");
    }

    @Test
    void theBundledDemoConfigurationCoversEveryDemoBackendAndEveryPolicy() {
        try (DemoBackends backends = DemoBackends.start(0)) {
            GatewayConfig demo = GatewayMain.demoConfig(backends);

            assertThat(demo.adapters()).extracting(GatewayConfig.Adapter::name).containsExactly("fast", "flaky", "slow", "broken", "spot");
            assertThat(demo.adapters()).allSatisfy(adapter ->
                    assertThat(adapter.url().toString()).startsWith(backends.baseUri().toString()));
            assertThat(demo.adapters()).anySatisfy(adapter -> assertThat(adapter.policies().rateLimit()).isNotNull());
            assertThat(demo.adapters()).anySatisfy(adapter -> assertThat(adapter.policies().hedge()).isNotNull());
            assertThat(demo.adapters()).anySatisfy(adapter -> assertThat(adapter.policies().bulkhead()).isNotNull());
            assertThat(demo.server().host()).isEqualTo("127.0.0.1");
        }
    }
}
