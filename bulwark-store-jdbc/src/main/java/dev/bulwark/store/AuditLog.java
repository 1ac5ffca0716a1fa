package dev.bulwark.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The audit of admin actions: who asked for what, on what, and how it ended. This class is thread-safe. */
public final class AuditLog {
    private final Database database;

    AuditLog(Database database) {
        this.database = database;
    }

    /** Stores one entry; committed when this returns. */
    public void record(Entry entry) {
        database.execute(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO admin_audit (at_millis, action, target, outcome, detail, actor, remote_address) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setLong(1, entry.atMillis());
                insert.setString(2, entry.action());
                insert.setString(3, entry.target());
                insert.setString(4, entry.outcome());
                insert.setString(5, entry.detail().length() <= 2000 ? entry.detail() : entry.detail().substring(0, 2000));
                insert.setString(6, clip(entry.actor(), 100));
                insert.setString(7, clip(entry.remoteAddress(), 100));
                insert.executeUpdate();
            }
        });
    }

    /** The last {@code limit} entries, newest first. */
    public List<Entry> recent(int limit) {
        return database.transaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT at_millis, action, target, outcome, detail, actor, remote_address FROM admin_audit ORDER BY id DESC")) {
                query.setMaxRows(limit);
                List<Entry> found = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        found.add(new Entry(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                                rows.getString(5), rows.getString(6), rows.getString(7)));
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
     * One admin action.
     *
     * @param atMillis when, milliseconds since the epoch
     * @param action what was asked, e.g. {@code failover.switch}
     * @param target on what, e.g. a group's name
     * @param outcome {@code done}, {@code refused} or {@code failed}
     * @param detail the answer given
     * @param actor who asked: the identity the admin token stands for ({@code admin} by default)
     * @param remoteAddress the address the request came from (empty when not known)
     */
    public record Entry(long atMillis, String action, String target, String outcome, String detail, String actor,
                        String remoteAddress) {
        /** Requires every text. */
        public Entry {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(remoteAddress, "remoteAddress");
        }

        /** An entry by {@code admin} from an unknown address. */
        public Entry(long atMillis, String action, String target, String outcome, String detail) {
            this(atMillis, action, target, outcome, detail, "admin", "");
        }
    }
}
