package dev.bulwark.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates and migrates the schema: the scripts {@code migrations/V<n>__<what>.sql} are applied in order, each in its
 * own transaction with its row in {@code schema_version}, so a database is always at one known version. A database
 * at a version newer than this code knows is refused rather than written to.
 */
final class Migrations {
    /** The scripts, oldest first; a new one is appended, an applied one never edited. */
    static final List<String> SCRIPTS = List.of("V1__series_failover_audit.sql", "V2__standby_records.sql",
            "V3__audit_actor_address.sql");

    private Migrations() {
    }

    /** Brings the database to the latest version; returns it. */
    static int migrate(Database database) {
        database.execute(connection -> {
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                        + "description VARCHAR(200) NOT NULL, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)");
            }
        });
        int current = database.transaction(Migrations::version);
        if (current > SCRIPTS.size()) {
            throw new StoreException("the database's schema is at version " + current + ", newer than the "
                    + SCRIPTS.size() + " this gateway knows; run a gateway at least as new as the one that migrated it");
        }
        for (int version = current + 1; version <= SCRIPTS.size(); version++) {
            String script = SCRIPTS.get(version - 1);
            int applying = version;
            database.execute(connection -> {
                for (String statement : statements(read(script))) {
                    try (Statement run = connection.createStatement()) {
                        run.execute(statement);
                    }
                }
                try (PreparedStatement record = connection.prepareStatement(
                        "INSERT INTO schema_version (version, description) VALUES (?, ?)")) {
                    record.setInt(1, applying);
                    record.setString(2, script);
                    record.executeUpdate();
                }
            });
        }
        return SCRIPTS.size();
    }

    static int version(Connection connection) throws SQLException {
        try (Statement query = connection.createStatement();
             ResultSet rows = query.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static String read(String script) {
        try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + script)) {
            if (in == null) {
                throw new StoreException("migration script " + script + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new StoreException("cannot read migration script " + script, unreadable);
        }
    }

    /** The script's statements: separated by semicolons at line ends, comment lines ({@code --}) left out. */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n", -1)) {
            String trimmed = line.trim();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().trim();
                statements.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().trim());
        }
        return statements;
    }
}
