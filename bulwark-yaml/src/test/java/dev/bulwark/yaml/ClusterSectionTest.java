package dev.bulwark.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code cluster:}: every key with its default, unknown keys with a suggestion, invalid values at file and line. */
class ClusterSectionTest {

    private static GatewayConfig parse(String cluster) {
        return GatewayConfigLoader.parse("g.yaml", cluster + "adapters:\n  - name: a\n");
    }

    @Test
    void theBlockIsReadWithItsDefaults() {
        GatewayCluster cluster = parse("cluster:\n  redis_url: redis://127.0.0.1:6390\n").cluster();

        assertThat(cluster).isNotNull();
        assertThat(cluster.redisUrl()).isEqualTo("redis://127.0.0.1:6390");
        assertThat(cluster.instanceId()).endsWith(":" + ProcessHandle.current().pid());
        assertThat(cluster).isEqualTo(GatewayCluster.of("redis://127.0.0.1:6390", cluster.instanceId()));
        assertThat(cluster.verdict()).isEqualTo("any_instance");
        assertThat(parse("").cluster()).isNull();
    }

    @Test
    void everyKeyIsRead() {
        GatewayCluster cluster = parse("""
                cluster:
                  redis_url: rediss://cache:6380/2
                  instance_id: gw-1
                  key_prefix: shop
                  share: { breakers: false, quotas: true }
                  verdict: quorum(2)
                  sync_interval: 250ms
                  quota_lease: 25
                  expected_instances: 4
                """).cluster();

        assertThat(cluster).isEqualTo(new GatewayCluster("rediss://cache:6380/2", "gw-1", "shop", false, true, 2,
                Duration.ofMillis(250), 25, 4));
        assertThat(cluster.verdict()).isEqualTo("quorum(2)");
    }

    @Test
    void unknownKeysAreRefusedWithTheClosest() {
        assertThatThrownBy(() -> parse("cluster:\n  redis_url: redis://h\n  redis_ulr: x\n"))
                .isInstanceOf(ConfigFileException.class).hasMessageContaining("g.yaml:3: cluster.redis_ulr")
                .hasMessageContaining("did you mean 'redis_url'?");
        assertThatThrownBy(() -> parse("cluster:\n  redis_url: redis://h\n  share:\n    quota: true\n"))
                .isInstanceOf(ConfigFileException.class).hasMessageContaining("cluster.share.quota")
                .hasMessageContaining("did you mean 'quotas'?");
    }

    @Test
    void invalidValuesFailWithFieldValueAndRange() {
        assertThatThrownBy(() -> parse("cluster:\n  redis_url: http://cache:6379\n"))
                .isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:2: cluster.redis_url must be redis://host[:port][/database] or rediss://... "
                        + "(the scheme must be redis or rediss), was 'http://cache:6379'");
        assertThatThrownBy(() -> parse("cluster:\n  instance_id: x\n"))
                .isInstanceOf(ConfigFileException.class).hasMessage("g.yaml:2: cluster.redis_url is required");
        assertThatThrownBy(() -> parse("cluster:\n  redis_url: redis://h\n  verdict: majority\n"))
                .isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:3: cluster.verdict must be any_instance or quorum(n) with n in [1, 1000], was majority");
        assertThatThrownBy(() -> parse("cluster:\n  redis_url: redis://h\n  sync_interval: 20s\n"))
                .isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:3: cluster.sync_interval must be [10ms, 10s], was '20000ms'");
        assertThatThrownBy(() -> parse("cluster:\n  redis_url: redis://h\n  quota_lease: 0\n"))
                .isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:3: cluster.quota_lease must be an integer in [1, 1000000], was 0");
        assertThatThrownBy(() -> parse("cluster:\n  redis_url: redis://h\n  key_prefix: a b\n"))
                .isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:3: cluster.key_prefix must be 1 to 64 of letters, digits, . _ - :, was 'a b'");
    }
}
