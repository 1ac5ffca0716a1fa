package dev.bulwark.server;

import dev.bulwark.store.JdbcStore;
import dev.bulwark.store.StoreConfig;
import dev.bulwark.yaml.ReplicaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.jspecify.annotations.Nullable;

/**
 * What the gateway runs for {@code storage:} and {@code series:}: the database (opened and migrated at start, closed
 * at shutdown) and the reconciled write path on it. Absent without a {@code storage:} block.
 */
final class ReplicaServices implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ReplicaServices.class.getName());

    private final JdbcStore store;
    private final SeriesService series;

    private ReplicaServices(JdbcStore store, SeriesService series) {
        this.store = store;
        this.series = series;
    }

    /** Opens the storage {@code settings} names, or returns null when there is none. */
    static @Nullable ReplicaServices open(ReplicaSettings settings, io.micrometer.core.instrument.MeterRegistry meters) {
        ReplicaSettings.Storage storage = settings.storage();
        if (storage == null) {
            return null;
        }
        StoreConfig where;
        String url = storage.jdbcUrl();
        if (url == null) {
            try {
                Files.createDirectories(storage.dataDirectory());
            } catch (IOException cannot) {
                throw new UncheckedIOException("cannot create storage.data_directory " + storage.dataDirectory(), cannot);
            }
            where = StoreConfig.embedded(storage.dataDirectory());
        } else {
            where = StoreConfig.of(url, storage.user(), storage.password());
        }
        JdbcStore store = JdbcStore.open(where);
        LOG.log(System.Logger.Level.INFO, "storing series and failover records in " + where.jdbcUrl().replaceAll(
                "(?i)(password=)[^&;]*", "$1***") + " (schema version " + store.schemaVersion() + ")");
        return new ReplicaServices(store, new SeriesService(store.series(), settings.series(), meters));
    }

    JdbcStore store() {
        return store;
    }

    SeriesService series() {
        return series;
    }

    @Override
    public void close() {
        store.close();
    }
}
