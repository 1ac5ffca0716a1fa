/**
 * Bulwark replica: what manages replicas and their data. Failover groups over a primary and its standbys
 * ({@code dev.bulwark.failover}) and the reconciliation of time series read from several sources
 * ({@code dev.bulwark.reconcile}). Depends on {@code dev.bulwark.core} only.
 */
module dev.bulwark.replica {
    requires transitive dev.bulwark.core;
    requires static org.jspecify;

    exports dev.bulwark.failover;
    exports dev.bulwark.reconcile;
}
