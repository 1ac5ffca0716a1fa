package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.time.ManualClock;
import dev.bulwark.yaml.GatewayConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The demo's data directories are temporary: closing the demo backends, after the gateways, deletes them. */
class DemoDataDirectoryTest {

    @Test
    void closingTheDemoBackendsDeletesTheDataDirectoryOfEveryDemoGateway() {
        DemoBackends backends = DemoBackends.start(0);
        GatewayConfig first = GatewayMain.demoConfig(backends);
        GatewayConfig second = GatewayMain.demoConfig(backends);
        Path firstData = first.replica().storage().dataDirectory();
        Path secondData = second.replica().storage().dataDirectory();
        assertThat(firstData).as("each demo gateway its own directory").isNotEqualTo(secondData);
        Gateway gateway = Gateway.start(first, 0, "secret", new ManualClock());
        try {
            assertThat(firstData).as("the gateway keeps its database there").isNotEmptyDirectory();
        } finally {
            gateway.close();
        }
        assertThat(firstData).as("kept until the demo closes").isNotEmptyDirectory();

        backends.close();

        assertThat(firstData).doesNotExist();
        assertThat(secondData).doesNotExist();
    }
}
