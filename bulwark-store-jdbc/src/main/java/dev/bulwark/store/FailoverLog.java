package dev.bulwark.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The failover tables: every switch of a failover group (promotion, emergency recovery, manual switch) with its
 * duration and outcome, and every standby with when it was asked for, when it was ready and how it ended. Each call
 * is its own transaction, committed when it returns. This class is thread-safe.
 */
public final class FailoverLog {
    private final Database database;

    FailoverLog(Database database) {
        this.database = database;
    }

    /** Stores one switch. */
    public void record(Switch entry) {
        database.execute(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO failover_records (group_name, kind, "
                    + "reason, from_target, to_target, at_millis, duration_ms, success) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, entry.group());
                insert.setString(2, entry.kind());
                insert.setString(3, clip(entry.reason(), 1000));
                insert.setString(4, clip(entry.from(), 1000));
                insert.setString(5, clip(entry.to(), 1000));
                insert.setLong(6, entry.atMillis());
                insert.setLong(7, entry.durationMillis());
                insert.setBoolean(8, entry.success());
                insert.executeUpdate();
            }
        });
    }

    /** The last {@code limit} switches of {@code group}, newest first. */
    public List<Switch> recent(String group, int limit) {
        return database.transaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT group_name, kind, reason, from_target, "
                    + "to_target, at_millis, duration_ms, success FROM failover_records WHERE group_name = ? "
                    + "ORDER BY at_millis DESC, id DESC")) {
                query.setString(1, group);
                query.setMaxRows(limit);
                List<Switch> found = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        found.add(new Switch(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                                rows.getString(5), rows.getLong(6), rows.getLong(7), rows.getBoolean(8)));
                    }
                }
                return found;
            }
        });
    }

    /** Stores a standby asked for at {@code createdAtMillis}; returns its id for {@link #standbyReady} and {@link #standbyEnded}. */
    public long standbyCreated(String group, String target, long createdAtMillis) {
        return database.transaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO standby_records (group_name, target, "
                    + "created_at, status) VALUES (?, ?, ?, 'provisioning')", Statement.RETURN_GENERATED_KEYS)) {
                insert.setString(1, group);
                insert.setString(2, clip(target, 1000));
                insert.setLong(3, createdAtMillis);
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new StoreException("the database returned no id for the standby record");
                    }
                    return keys.getLong(1);
                }
            }
        });
    }

    /** Marks standby {@code id} ready at {@code readyAtMillis}. */
    public void standbyReady(long id, long readyAtMillis) {
        database.execute(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE standby_records SET ready_at = ?, status = 'ready' WHERE id = ?")) {
                update.setLong(1, readyAtMillis);
                update.setLong(2, id);
                update.executeUpdate();
            }
        });
    }

    /** Ends standby {@code id}: {@code promoted} when it took traffic, {@code terminated} when it was let go unused. */
    public void standbyEnded(long id, String status) {
        database.execute(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE standby_records SET status = ? WHERE id = ?")) {
                update.setString(1, status);
                update.setLong(2, id);
                update.executeUpdate();
            }
        });
    }

    /** Per group, the switches since {@code sinceMillis}: count, successes, average, fastest and slowest duration. */
    public List<SwitchSummary> switchSummary(long sinceMillis) {
        return database.transaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT group_name, COUNT(*), "
                    + "SUM(CASE WHEN success THEN 1 ELSE 0 END), AVG(CAST(duration_ms AS DOUBLE PRECISION)), "
                    + "MIN(duration_ms), MAX(duration_ms) FROM failover_records WHERE at_millis >= ? "
                    + "GROUP BY group_name ORDER BY group_name")) {
                query.setLong(1, sinceMillis);
                List<SwitchSummary> found = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        found.add(new SwitchSummary(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getDouble(4),
                                rows.getLong(5), rows.getLong(6)));
                    }
                }
                return found;
            }
        });
    }

    /** Per group, the standbys asked for since {@code sinceMillis}: count, average ready time, promoted, let go unused. */
    public List<StandbySummary> standbySummary(long sinceMillis) {
        return database.transaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT group_name, COUNT(*), "
                    + "AVG(CAST(ready_at - created_at AS DOUBLE PRECISION)), "
                    + "SUM(CASE WHEN status = 'promoted' THEN 1 ELSE 0 END), "
                    + "SUM(CASE WHEN status = 'terminated' THEN 1 ELSE 0 END) FROM standby_records "
                    + "WHERE created_at >= ? GROUP BY group_name ORDER BY group_name")) {
                query.setLong(1, sinceMillis);
                List<StandbySummary> found = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        double ready = rows.getDouble(3);
                        found.add(new StandbySummary(rows.getString(1), rows.getLong(2), rows.wasNull() ? -1 : ready,
                                rows.getLong(4), rows.getLong(5)));
                    }
                }
                return found;
            }
        });
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    /**
     * One switch of a failover group.
     *
     * @param group the group
     * @param kind {@code promotion}, {@code emergency_recovery} or {@code manual_switch}
     * @param reason why (a signal, a health failure, an operator)
     * @param from what served before
     * @param to what serves after
     * @param atMillis when it started, milliseconds since the epoch
     * @param durationMillis how long it took
     * @param success whether traffic moved
     */
    public record Switch(String group, String kind, String reason, String from, String to, long atMillis,
                         long durationMillis, boolean success) {
        /** Requires every text. */
        public Switch {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /**
     * The switches of one group.
     *
     * @param group the group
     * @param total switches
     * @param successful of which traffic moved
     * @param averageMillis their average duration
     * @param fastestMillis the shortest
     * @param slowestMillis the longest
     */
    public record SwitchSummary(String group, long total, long successful, double averageMillis, long fastestMillis,
                                long slowestMillis) {
    }

    /**
     * The standbys of one group.
     *
     * @param group the group
     * @param created standbys asked for
     * @param averageReadyMillis average time from asked for to ready, -1 when none was ready yet
     * @param promoted of which took traffic
     * @param terminatedUnused of which were let go without taking traffic
     */
    public record StandbySummary(String group, long created, double averageReadyMillis, long promoted, long terminatedUnused) {
    }
}
