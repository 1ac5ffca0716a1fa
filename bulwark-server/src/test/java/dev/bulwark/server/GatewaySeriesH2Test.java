package dev.bulwark.server;

import dev.bulwark.yaml.ReplicaSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The reconciled write path on the default: embedded H2 in a data directory. */
class GatewaySeriesH2Test extends GatewaySeriesTest {
    @TempDir
    Path data;

    @Override
    ReplicaSettings.Storage storage() {
        return new ReplicaSettings.Storage(data, null, "", "");
    }
}
