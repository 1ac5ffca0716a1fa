package dev.bulwark.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;

/**
 * The storage contract on a real PostgreSQL, whose JDBC URL (user and password in it) comes from the system property
 * {@code bulwark.test.postgres.url} or the environment variable {@code BULWARK_TEST_POSTGRES_URL}; {@code .ci/run}
 * always starts one and sets it. Without it these tests are skipped, and say so.
 */
class PostgresStoreTest extends StoreContract {

    /** The URL of the test PostgreSQL, or null when none was given. */
    static @org.jspecify.annotations.Nullable String url() {
        String url = System.getProperty("bulwark.test.postgres.url");
        return url == null || url.isBlank() ? System.getenv("BULWARK_TEST_POSTGRES_URL") : url;
    }

    @Override
    StoreConfig freshDatabase() throws Exception {
        String url = url();
        if (url == null || url.isBlank()) {
            System.out.println("SKIPPED PostgresStoreTest: no PostgreSQL given (set -Dbulwark.test.postgres.url or "
                    + "BULWARK_TEST_POSTGRES_URL; .ci/run starts one)");
        }
        Assumptions.assumeTrue(url != null && !url.isBlank(), "no PostgreSQL URL given");
        try (Connection raw = DriverManager.getConnection(url); Statement statement = raw.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS public CASCADE");
            statement.execute("CREATE SCHEMA public");
        }
        return StoreConfig.of(url, "", "");
    }
}
