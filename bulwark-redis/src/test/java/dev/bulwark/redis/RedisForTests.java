package dev.bulwark.redis;

import java.io.IOException;

/** The Redis a test class shares: {@code .ci/run}'s when BULWARK_TEST_REDIS_URL is set, else its own server. */
final class RedisForTests implements AutoCloseable {
    private final RedisServer own;
    final String url;

    private RedisForTests(RedisServer own, String url) {
        this.own = own;
        this.url = url;
    }

    static RedisForTests start() throws IOException {
        String ci = SharedInstances.ciRedisUrl();
        if (ci != null) {
            return new RedisForTests(null, ci);
        }
        RedisServer server = RedisServer.start();
        return new RedisForTests(server, server.url());
    }

    @Override
    public void close() throws Exception {
        if (own != null) {
            own.close();
        }
    }
}
