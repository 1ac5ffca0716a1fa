package dev.bulwark.server;

/**
 * The Redis a cluster test runs on: the one CI gives ({@code BULWARK_TEST_REDIS_URL}) or else a redis-server of the
 * test's own, stopped and deleted by {@link #close()}.
 */
final class TestRedis implements AutoCloseable {
    private LocalRedis own;

    /** CI's Redis when given, else a server of the test's own (started at the first call). */
    String url() {
        String ci = System.getenv("BULWARK_TEST_REDIS_URL");
        if (ci != null && !ci.isBlank()) {
            return ci;
        }
        return own().url();
    }

    /** A server of the test's own even when CI gives one: for a test that stops and restarts Redis. */
    LocalRedis own() {
        if (own == null) {
            own = LocalRedis.start();
        }
        return own;
    }

    @Override
    public void close() throws Exception {
        if (own != null) {
            own.close();
        }
    }
}
