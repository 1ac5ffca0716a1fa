/**
 * Bulwark's JDBC store: reconciled series points with their raw readings and gaps, failover and standby records, and
 * the audit of admin actions, in an embedded H2 database by default or PostgreSQL. The schema is created and migrated
 * when the store opens. Depends on {@code java.sql} only; the drivers are found at run time.
 */
module dev.bulwark.store.jdbc {
    requires transitive java.sql;
    requires static org.jspecify;

    exports dev.bulwark.store;
}
