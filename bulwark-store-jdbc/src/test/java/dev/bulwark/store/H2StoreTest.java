package dev.bulwark.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on the embedded default: H2 in a data directory. */
class H2StoreTest extends StoreContract {
    @TempDir
    Path dataDirectory;

    @Override
    StoreConfig freshDatabase() {
        return StoreConfig.embedded(dataDirectory);
    }
}
