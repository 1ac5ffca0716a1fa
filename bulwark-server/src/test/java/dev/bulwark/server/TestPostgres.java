package dev.bulwark.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;

/** The test PostgreSQL given by {@code .ci/run} (or by hand), emptied for each test. */
final class TestPostgres {
    private TestPostgres() {
    }

    /** Its URL with an empty schema; skips the calling test, printing why, when none was given. */
    static String freshDatabase(Class<?> test) throws Exception {
        String url = System.getProperty("bulwark.test.postgres.url");
        if (url == null || url.isBlank()) {
            url = System.getenv("BULWARK_TEST_POSTGRES_URL");
        }
        if (url == null || url.isBlank()) {
            System.out.println("SKIPPED " + test.getSimpleName() + ": no PostgreSQL given (set -Dbulwark.test.postgres.url "
                    + "or BULWARK_TEST_POSTGRES_URL; .ci/run starts one)");
        }
        Assumptions.assumeTrue(url != null && !url.isBlank(), "no PostgreSQL URL given");
        try (Connection raw = DriverManager.getConnection(url); Statement statement = raw.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS public CASCADE");
            statement.execute("CREATE SCHEMA public");
        }
        return url;
    }
}
