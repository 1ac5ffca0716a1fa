package dev.bulwark.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The series tables: raw readings as received, the reconciled points with their quality flag, and the gaps. A write
 * stores new readings and replaces the points and gaps of one stretch of the series in a single transaction, so a
 * reader sees the stretch before or after, never half of it, and a write that returned is on disk.
 * This class is thread-safe.
 */
public final class SeriesStore {
    private final Database database;

    SeriesStore(Database database) {
        this.database = database;
    }

    /**
     * Stores {@code readings} and replaces the points and gaps of {@code series} between {@code from} and {@code to}
     * (inclusive, seconds) with {@code points} and {@code gaps}, in one transaction.
     *
     * @throws StoreException if the database refused (nothing of the write is kept then)
     */
    public void write(String series, List<Reading> readings, long from, long to, List<Point> points, List<Gap> gaps) {
        Objects.requireNonNull(series, "series");
        database.execute(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO series_readings "
                    + "(series, source, ts, reading, received_at) VALUES (?, ?, ?, ?, ?)")) {
                for (Reading reading : readings) {
                    insert.setString(1, reading.series());
                    insert.setString(2, reading.source());
                    insert.setLong(3, reading.timestamp());
                    insert.setDouble(4, reading.value());
                    insert.setLong(5, reading.receivedAtMillis());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            update(connection, "DELETE FROM series_points WHERE series = ? AND ts >= ? AND ts <= ?", series, from, to);
            update(connection, "DELETE FROM series_gaps WHERE series = ? AND gap_from >= ? AND gap_to <= ?", series, from, to);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO series_points (series, ts, point, quality) VALUES (?, ?, ?, ?)")) {
                for (Point point : points) {
                    insert.setString(1, series);
                    insert.setLong(2, point.timestamp());
                    insert.setDouble(3, point.value());
                    insert.setString(4, point.quality());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO series_gaps (series, gap_from, gap_to, filled) VALUES (?, ?, ?, ?)")) {
                for (Gap gap : gaps) {
                    insert.setString(1, series);
                    insert.setLong(2, gap.from());
                    insert.setLong(3, gap.to());
                    insert.setBoolean(4, gap.filled());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }

    private static void update(Connection connection, String sql, String series, long from, long to) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setString(1, series);
            delete.setLong(2, from);
            delete.setLong(3, to);
            delete.executeUpdate();
        }
    }

    /** The readings of {@code series} with timestamps in [{@code from}, {@code to}], by timestamp then source. */
    public List<Reading> readings(String series, long from, long to) {
        return database.transaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT source, ts, reading, received_at FROM "
                    + "series_readings WHERE series = ? AND ts >= ? AND ts <= ? ORDER BY ts, source")) {
                query.setString(1, series);
                query.setLong(2, from);
                query.setLong(3, to);
                List<Reading> found = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        found.add(new Reading(series, rows.getString(1), rows.getLong(2), rows.getDouble(3), rows.getLong(4)));
                    }
                }
                return found;
            }
        });
    }

    /** The reading {@code source} gave for {@code timestamp}, if any. */
    public Optional<Reading> reading(String series, String source, long timestamp) {
        return readings(series, timestamp, timestamp).stream().filter(r -> r.source().equals(source)).findFirst();
    }

    /** The latest reading timestamp before {@code timestamp}, if any. */
    public OptionalLong readingBefore(String series, long timestamp) {
        return neighbour("SELECT MAX(ts) FROM series_readings WHERE series = ? AND ts < ?", series, timestamp);
    }

    /** The earliest reading timestamp after {@code timestamp}, if any. */
    public OptionalLong readingAfter(String series, long timestamp) {
        return neighbour("SELECT MIN(ts) FROM series_readings WHERE series = ? AND ts > ?", series, timestamp);
    }

    private OptionalLong neighbour(String sql, String series, long timestamp) {
        return database.transaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                query.setString(1, series);
                query.setLong(2, timestamp);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    long found = rows.getLong(1);
                    return rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(found);
                }
            }
        });
    }

    /** The reconciled points of {@code series} in [{@code from}, {@code to}], by timestamp. */
    public List<Point> points(String series, long from, long to) {
        return database.transaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT ts, point, quality FROM series_points "
                    + "WHERE series = ? AND ts >= ? AND ts <= ? ORDER BY ts")) {
                query.setString(1, series);
                query.setLong(2, from);
                query.setLong(3, to);
                List<Point> found = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        found.add(new Point(rows.getLong(1), rows.getDouble(2), rows.getString(3)));
                    }
                }
                return found;
            }
        });
    }

    /** The number of points of {@code series} per quality flag, flags in alphabetical order. */
    public Map<String, Long> qualityCounts(String series) {
        return database.transaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT quality, COUNT(*) FROM series_points "
                    + "WHERE series = ? GROUP BY quality ORDER BY quality")) {
                query.setString(1, series);
                Map<String, Long> counts = new LinkedHashMap<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        counts.put(rows.getString(1), rows.getLong(2));
                    }
                }
                return counts;
            }
        });
    }

    /** The gaps of {@code series}, filled or not as asked, oldest first. */
    public List<Gap> gaps(String series, boolean filled) {
        return database.transaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT gap_from, gap_to, filled FROM series_gaps "
                    + "WHERE series = ? AND filled = ? ORDER BY gap_from")) {
                query.setString(1, series);
                query.setBoolean(2, filled);
                List<Gap> found = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        found.add(new Gap(rows.getLong(1), rows.getLong(2), rows.getBoolean(3)));
                    }
                }
                return found;
            }
        });
    }

    /**
     * Points per series and UTC day with timestamps in [{@code from}, {@code to}]: total, interpolated and averaged
     * counts, newest day first.
     */
    public List<DailyQuality> dailyQuality(long from, long to) {
        return database.transaction(connection -> {
            Map<String, Long> unfilled = new LinkedHashMap<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT series, gap_from / 86400, COUNT(*) "
                    + "FROM series_gaps WHERE filled = FALSE AND gap_from >= ? AND gap_from <= ? "
                    + "GROUP BY series, gap_from / 86400")) {
                query.setLong(1, from);
                query.setLong(2, to);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        unfilled.put(rows.getString(1) + "@" + rows.getLong(2), rows.getLong(3));
                    }
                }
            }
            try (PreparedStatement query = connection.prepareStatement("SELECT series, ts / 86400 AS day_no, COUNT(*), "
                    + "SUM(CASE WHEN quality = 'interpolated' THEN 1 ELSE 0 END), "
                    + "SUM(CASE WHEN quality = 'averaged_dual_source' THEN 1 ELSE 0 END) "
                    + "FROM series_points WHERE ts >= ? AND ts <= ? GROUP BY series, ts / 86400 ORDER BY day_no DESC, series")) {
                query.setLong(1, from);
                query.setLong(2, to);
                List<DailyQuality> found = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        String series = rows.getString(1);
                        long day = rows.getLong(2);
                        found.add(new DailyQuality(series, day * 86_400L, rows.getLong(3), rows.getLong(4),
                                rows.getLong(5), unfilled.getOrDefault(series + "@" + day, 0L)));
                    }
                }
                return found;
            }
        });
    }

    /**
     * One reading as received.
     *
     * @param series the series
     * @param source {@code primary} or {@code replica}
     * @param timestamp seconds since the epoch
     * @param value the reading
     * @param receivedAtMillis when the gateway accepted it, milliseconds since the epoch
     */
    public record Reading(String series, String source, long timestamp, double value, long receivedAtMillis) {
        /** Requires the names. */
        public Reading {
            Objects.requireNonNull(series, "series");
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * One reconciled point.
     *
     * @param timestamp seconds since the epoch
     * @param value its value
     * @param quality its flag: {@code single_source}, {@code deduplicated}, {@code averaged_dual_source}, {@code interpolated}
     */
    public record Point(long timestamp, double value, String quality) {
        /** Requires the flag. */
        public Point {
            Objects.requireNonNull(quality, "quality");
        }
    }

    /**
     * A stretch without readings longer than the gap threshold.
     *
     * @param from the last timestamp before it
     * @param to the first timestamp after it
     * @param filled whether it was interpolated
     */
    public record Gap(long from, long to, boolean filled) {
        /** Its length in seconds. */
        public long seconds() {
            return to - from;
        }
    }

    /**
     * The data quality of one series on one UTC day.
     *
     * @param series the series
     * @param day the day's first second since the epoch
     * @param points points that day
     * @param interpolated of which interpolated
     * @param averaged of which averaged from disagreeing sources
     * @param unfilledGaps gaps starting that day that were too long to fill
     */
    public record DailyQuality(String series, long day, long points, long interpolated, long averaged, long unfilledGaps) {
        /** Interpolated points as a percentage of the day's points. */
        public double interpolatedPercent() {
            return points == 0 ? 0 : 100.0 * interpolated / points;
        }

        /** Averaged points as a percentage of the day's points. */
        public double averagedPercent() {
            return points == 0 ? 0 : 100.0 * averaged / points;
        }
    }
}
