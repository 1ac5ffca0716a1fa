package dev.bulwark.server;

import dev.bulwark.yaml.ReplicaSettings;
import java.nio.file.Path;

/**
 * The reconciled write path on a real PostgreSQL: {@code bulwark.test.postgres.url} or
 * {@code BULWARK_TEST_POSTGRES_URL} ({@code .ci/run} always starts one); skipped, saying so, without it.
 */
class GatewaySeriesPostgresTest extends GatewaySeriesTest {
    @Override
    ReplicaSettings.Storage storage() throws Exception {
        return new ReplicaSettings.Storage(Path.of("unused"), TestPostgres.freshDatabase(getClass()), "", "");
    }
}
