package dev.bulwark.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The storage behaviour every database must show; one subclass per database runs it. */
abstract class StoreContract {
    JdbcStore store;

    /** A fresh, empty database. */
    abstract StoreConfig freshDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = JdbcStore.open(freshDatabase());
    }

    @AfterEach
    void close() {
        if (store != null) { // null when the database was not given and the test skipped
            store.close();
        }
    }

    static SeriesStore.Reading primary(long ts, double value) {
        return new SeriesStore.Reading("pool-a", "primary", ts, value, 1_000L);
    }

    @Test
    void opensAtTheLatestSchemaVersionAndReopeningKeepsDataAndVersion() {
        assertThat(store.schemaVersion()).isEqualTo(Migrations.SCRIPTS.size());
        store.series().write("pool-a", List.of(primary(0, 0.05)), 0, 0, List.of(new SeriesStore.Point(0, 0.05, "single_source")), List.of());
        store.close();
        store = JdbcStore.open(store.config());
        assertThat(store.schemaVersion()).isEqualTo(Migrations.SCRIPTS.size());
        assertThat(store.series().points("pool-a", 0, 10)).containsExactly(new SeriesStore.Point(0, 0.05, "single_source"));
    }

    @Test
    void aDatabaseAtAnOlderVersionIsMigratedForwardKeepingItsData() throws SQLException {
        store.series().write("pool-a", List.of(primary(0, 0.05)), 0, 0, List.of(new SeriesStore.Point(0, 0.05, "single_source")), List.of());
        // the database as a gateway that knew only the first script left it
        rawUpdate("DROP TABLE standby_records");
        rawUpdate("ALTER TABLE admin_audit DROP COLUMN actor");
        rawUpdate("ALTER TABLE admin_audit DROP COLUMN remote_address");
        rawUpdate("DELETE FROM schema_version WHERE version > 1");
        store.close();

        store = JdbcStore.open(store.config());

        assertThat(store.schemaVersion()).isEqualTo(Migrations.SCRIPTS.size());
        assertThat(store.series().points("pool-a", 0, 10)).containsExactly(new SeriesStore.Point(0, 0.05, "single_source"));
        long standby = store.failovers().standbyCreated("g", "http://b", 1);
        store.failovers().standbyReady(standby, 5);
        assertThat(store.failovers().standbySummary(0)).containsExactly(new FailoverLog.StandbySummary("g", 1, 4.0, 0, 0));
    }

    @Test
    void aDatabaseMigratedByANewerGatewayIsRefused() throws SQLException {
        rawUpdate("INSERT INTO schema_version (version, description) VALUES (99, 'from the future')");
        store.close();
        assertThatThrownBy(() -> JdbcStore.open(store.config())).isInstanceOf(StoreException.class)
                .hasMessageContaining("version 99");
        rawUpdate("DELETE FROM schema_version WHERE version = 99");
        store = JdbcStore.open(store.config());
        assertThat(store.schemaVersion()).isEqualTo(Migrations.SCRIPTS.size());
    }

    private void rawUpdate(String sql) throws SQLException {
        StoreConfig config = store.config();
        try (Connection raw = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
             Statement statement = raw.createStatement()) {
            statement.executeUpdate(sql);
            if (!raw.getAutoCommit()) {
                raw.commit();
            }
        }
    }

    @Test
    void aWriteReplacesThePointsAndGapsOfItsStretchOnly() {
        SeriesStore series = store.series();
        series.write("pool-a", List.of(primary(0, 0.05), primary(1200, 0.06)), 0, 1200, List.of(
                new SeriesStore.Point(0, 0.05, "single_source"), new SeriesStore.Point(300, 0.0525, "interpolated"),
                new SeriesStore.Point(600, 0.055, "interpolated"), new SeriesStore.Point(900, 0.0575, "interpolated"),
                new SeriesStore.Point(1200, 0.06, "single_source")), List.of(new SeriesStore.Gap(0, 1200, true)));
        series.write("pool-a", List.of(primary(5000, 0.07)), 1200, 5000, List.of(new SeriesStore.Point(1200, 0.06,
                "single_source"), new SeriesStore.Point(5000, 0.07, "single_source")), List.of(new SeriesStore.Gap(1200, 5000, false)));
        // a late reading at 600 replaces the first stretch's interpolation
        series.write("pool-a", List.of(primary(600, 0.054)), 0, 1200, List.of(new SeriesStore.Point(0, 0.05, "single_source"),
                new SeriesStore.Point(600, 0.054, "single_source"), new SeriesStore.Point(1200, 0.06, "single_source")), List.of());

        assertThat(series.points("pool-a", 0, 10_000)).extracting(SeriesStore.Point::timestamp).containsExactly(0L, 600L, 1200L, 5000L);
        assertThat(series.qualityCounts("pool-a")).isEqualTo(Map.of("single_source", 4L));
        assertThat(series.gaps("pool-a", false)).containsExactly(new SeriesStore.Gap(1200, 5000, false));
        assertThat(series.gaps("pool-a", true)).isEmpty();
        assertThat(series.readings("pool-a", 0, 10_000)).hasSize(4);
        assertThat(series.readingBefore("pool-a", 600)).hasValue(0);
        assertThat(series.readingAfter("pool-a", 600)).hasValue(1200);
        assertThat(series.readingAfter("pool-a", 5000)).isEmpty();
        assertThat(series.reading("pool-a", "primary", 600)).map(SeriesStore.Reading::value).hasValue(0.054);
        assertThat(series.reading("pool-a", "replica", 600)).isEmpty();
    }

    @Test
    void aRefusedWriteKeepsNothingOfIt() {
        SeriesStore series = store.series();
        series.write("pool-a", List.of(primary(0, 0.05)), 0, 0, List.of(new SeriesStore.Point(0, 0.05, "single_source")), List.of());
        // the same reading again violates the key: the new point at 300 must not be kept either
        assertThatThrownBy(() -> series.write("pool-a", List.of(primary(300, 0.051), primary(0, 0.05)), 0, 300,
                List.of(new SeriesStore.Point(300, 0.051, "single_source")), List.of())).isInstanceOf(StoreException.class);
        assertThat(series.points("pool-a", 0, 1000)).containsExactly(new SeriesStore.Point(0, 0.05, "single_source"));
        assertThat(series.readings("pool-a", 0, 1000)).extracting(SeriesStore.Reading::timestamp).containsExactly(0L);
    }

    @Test
    void dailyQualityCountsInterpolatedAveragedAndUnfilledPerDay() {
        SeriesStore series = store.series();
        series.write("pool-a", List.of(), 0, 90_000, List.of(new SeriesStore.Point(0, 1, "single_source"),
                new SeriesStore.Point(300, 1, "interpolated"), new SeriesStore.Point(600, 1, "averaged_dual_source"),
                new SeriesStore.Point(900, 1, "deduplicated"), new SeriesStore.Point(86_400, 1, "single_source")),
                List.of(new SeriesStore.Gap(900, 86_400, false)));
        List<SeriesStore.DailyQuality> days = series.dailyQuality(0, 200_000);
        assertThat(days).containsExactly(new SeriesStore.DailyQuality("pool-a", 86_400, 1, 0, 0, 0),
                new SeriesStore.DailyQuality("pool-a", 0, 4, 1, 1, 1));
        assertThat(days.get(1).interpolatedPercent()).isEqualTo(25.0);
    }

    @Test
    void failoverSwitchesAndStandbysAreKeptAndSummarised() {
        FailoverLog log = store.failovers();
        log.record(new FailoverLog.Switch("prices", "promotion", "termination", "http://a", "http://b", 1_000, 40, true));
        log.record(new FailoverLog.Switch("prices", "emergency_recovery", "health", "http://b", "http://c", 2_000, 100, false));
        log.record(new FailoverLog.Switch("other", "manual_switch", "operator", "http://x", "http://y", 3_000, 10, true));
        assertThat(log.recent("prices", 1)).extracting(FailoverLog.Switch::kind).containsExactly("emergency_recovery");
        assertThat(log.recent("prices", 10)).hasSize(2);
        assertThat(log.switchSummary(0)).containsExactly(new FailoverLog.SwitchSummary("other", 1, 1, 10.0, 10, 10),
                new FailoverLog.SwitchSummary("prices", 2, 1, 70.0, 40, 100));
        assertThat(log.switchSummary(1_500)).extracting(FailoverLog.SwitchSummary::total).containsExactly(1L, 1L);

        long first = log.standbyCreated("prices", "http://b", 10_000);
        long second = log.standbyCreated("prices", "http://c", 20_000);
        log.standbyReady(first, 13_000);
        log.standbyReady(second, 21_000);
        log.standbyEnded(first, "promoted");
        log.standbyEnded(second, "terminated");
        log.standbyCreated("prices", "http://d", 30_000);
        assertThat(log.standbySummary(0)).containsExactly(new FailoverLog.StandbySummary("prices", 3, 2_000.0, 1, 1));
    }

    @Test
    void auditEntriesComeBackNewestFirst() {
        store.audit().record(new AuditLog.Entry(1, "failover.switch", "prices", "refused", "standby not ready"));
        store.audit().record(new AuditLog.Entry(2, "failover.manual.enable", "prices", "done", "manual"));
        assertThat(store.audit().recent(10)).extracting(AuditLog.Entry::action)
                .containsExactly("failover.manual.enable", "failover.switch");
        assertThat(store.audit().recent(1)).hasSize(1);
    }

    @Test
    void auditEntriesKeepWhoAskedAndFromWhere() {
        store.audit().record(new AuditLog.Entry(3, "POST /mode/force", "gateway", "done", "EMERGENCY", "oncall", "10.0.0.7"));
        store.audit().record(new AuditLog.Entry(4, "failover.switch", "prices", "done", "manual"));
        assertThat(store.audit().recent(2)).containsExactly(
                new AuditLog.Entry(4, "failover.switch", "prices", "done", "manual", "admin", ""),
                new AuditLog.Entry(3, "POST /mode/force", "gateway", "done", "EMERGENCY", "oncall", "10.0.0.7"));
    }
}
