package dev.bulwark.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.Test;

class RedisEndpointTest {

    @Test
    void parsesHostAndPortAndDefaultsThePort() {
        assertThat(RedisEndpoint.of("redis://10.0.0.5:6380/2").port()).isEqualTo(6380);
        assertThat(RedisEndpoint.of("redis://cache.internal").port()).isEqualTo(RedisEndpoint.DEFAULT_PORT);
        assertThat(RedisEndpoint.of("rediss://cache.internal").host()).isEqualTo("cache.internal");
    }

    @Test
    void refusesWhatIsNotARedisUrlNamingTheValue() {
        assertThatThrownBy(() -> RedisEndpoint.of("http://cache:6379"))
                .hasMessageContaining("'http://cache:6379'").hasMessageContaining("scheme must be redis or rediss");
        assertThatThrownBy(() -> RedisEndpoint.of("redis://:6379")).hasMessageContaining("no host");
        assertThatThrownBy(() -> RedisEndpoint.of("redis://h:70000")).hasMessageContaining("[1, 65535]");
    }

    @Test
    void theTestServerAnswersAndComesBackAfterARestart() throws Exception {
        try (RedisServer server = RedisServer.start();
                RedisClient client = RedisClient.create(server.url())) {
            try (var connection = client.connect()) {
                assertThat(connection.sync().ping()).isEqualTo("PONG");
            }
            server.stop();
            assertThat(server.running()).isFalse();
            server.restart();
            try (var connection = client.connect()) {
                assertThat(connection.sync().set("k", "v")).isEqualTo("OK");
                assertThat(connection.sync().get("k")).isEqualTo("v");
            }
        }
    }
}
