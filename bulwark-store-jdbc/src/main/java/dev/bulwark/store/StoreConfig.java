package dev.bulwark.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a {@link JdbcStore} keeps its data: a JDBC URL with its user and password. {@link #embedded(Path)} is the
 * default, an H2 database in a data directory (nothing to install); {@link #of(String, String, String)} takes any
 * {@code jdbc:postgresql:} or {@code jdbc:h2:} URL.
 *
 * @param jdbcUrl the JDBC URL, {@code jdbc:postgresql:} or {@code jdbc:h2:}
 * @param user the database user (may be empty, e.g. when the URL carries it)
 * @param password the password (may be empty)
 */
public record StoreConfig(String jdbcUrl, String user, String password) {

    /** Validates the URL. @throws IllegalArgumentException for a URL of another database */
    public StoreConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!jdbcUrl.startsWith("jdbc:postgresql:") && !jdbcUrl.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql: or jdbc:h2:, was " + redacted(jdbcUrl));
        }
    }

    /**
     * An embedded H2 database in {@code dataDirectory} (file {@code bulwark.mv.db}), created when missing. Every commit
     * is written to the file before it returns, so a crash loses nothing committed.
     */
    public static StoreConfig embedded(Path dataDirectory) {
        String path = dataDirectory.toAbsolutePath().resolve("bulwark").toString().replace('\\', '/');
        return new StoreConfig("jdbc:h2:file:" + path + ";WRITE_DELAY=0", "", "");
    }

    /** The database at {@code jdbcUrl}. */
    public static StoreConfig of(String jdbcUrl, String user, String password) {
        return new StoreConfig(jdbcUrl, user, password);
    }

    /** Whether this is a PostgreSQL database. */
    public boolean postgres() {
        return jdbcUrl.startsWith("jdbc:postgresql:");
    }

    /** Leaves the password out, and a password inside the URL. */
    @Override
    public String toString() {
        return "StoreConfig[jdbcUrl=" + redacted(jdbcUrl) + ", user=" + user + ", password=" + (password.isEmpty() ? "none" : "***") + "]";
    }

    private static String redacted(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
