package dev.bulwark.store;

import java.util.Objects;

/**
 * A database opened through JDBC, its schema created or migrated to the latest version on {@link #open}: the
 * series, failover and audit stores share its one connection. Embedded H2 by default
 * ({@link StoreConfig#embedded(java.nio.file.Path)}), PostgreSQL when given its URL. {@link #close()} closes the
 * connection. This class is thread-safe.
 */
public final class JdbcStore implements AutoCloseable {
    private final StoreConfig config;
    private final Database database;
    private final int schemaVersion;
    private final SeriesStore series;
    private final FailoverLog failovers;
    private final AuditLog audit;

    private JdbcStore(StoreConfig config) {
        this.config = config;
        this.database = new Database(config);
        try {
            this.schemaVersion = Migrations.migrate(database);
        } catch (RuntimeException failed) {
            database.close();
            throw failed;
        }
        this.series = new SeriesStore(database);
        this.failovers = new FailoverLog(database);
        this.audit = new AuditLog(database);
    }

    /**
     * Connects and migrates the schema.
     *
     * @throws StoreException if the database cannot be reached or migrated
     */
    public static JdbcStore open(StoreConfig config) {
        return new JdbcStore(Objects.requireNonNull(config, "config"));
    }

    /** Where it stores. */
    public StoreConfig config() {
        return config;
    }

    /** The schema's version after migration. */
    public int schemaVersion() {
        return schemaVersion;
    }

    /** Readings, points and gaps. */
    public SeriesStore series() {
        return series;
    }

    /** Failover switches and standbys. */
    public FailoverLog failovers() {
        return failovers;
    }

    /** Admin actions. */
    public AuditLog audit() {
        return audit;
    }

    @Override
    public void close() {
        database.close();
    }
}
