package dev.bulwark.yaml;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reads the {@code cluster:} block into {@link GatewayCluster}; every problem names the key's line, value and range. */
final class ClusterSection {
    static final String KEY = "cluster";
    static final Set<String> KEYS = Set.of("redis_url", "instance_id", "key_prefix", "share", "verdict", "sync_interval",
            "quota_lease", "expected_instances");
    static final Set<String> SHARE = Set.of("breakers", "quotas");

    private ClusterSection() {
    }

    static @Nullable GatewayCluster read(@Nullable Section cluster) {
        if (cluster == null) {
            return null;
        }
        cluster.allowOnly(KEYS);
        Section share = cluster.section("share");
        if (share != null) {
            share.allowOnly(SHARE);
        }
        String verdictRaw = cluster.string("verdict", "any_instance");
        int quorum = GatewayCluster.parseVerdict(verdictRaw);
        if (quorum < 1 || quorum > 1000) {
            throw new ConfigFileException(cluster.file(), cluster.lineOf("verdict"), cluster.field("verdict"),
                    "must be any_instance or quorum(n) with n in [1, 1000], was " + verdictRaw);
        }
        String url = cluster.requiredString("redis_url").trim();
        String instance = cluster.string("instance_id", "").trim();
        String id = instance.isEmpty() ? defaultInstanceId() : instance;
        String prefix = cluster.string("key_prefix", "bulwark").trim();
        boolean breakers = share == null || share.bool("breakers", true);
        boolean quotas = share == null || share.bool("quotas", true);
        Duration sync = cluster.duration("sync_interval", Duration.ofMillis(100), Duration.ZERO);
        int lease = cluster.integer("quota_lease", 10, 1, 1_000_000);
        int instances = cluster.integer("expected_instances", 2, 1, 100_000);
        try {
            return new GatewayCluster(url, id, prefix, breakers, quotas, quorum, sync, lease, instances);
        } catch (IllegalArgumentException invalid) {
            String message = String.valueOf(invalid.getMessage());
            String key = message.startsWith("cluster.") && message.indexOf(':') > 0
                    ? message.substring("cluster.".length(), message.indexOf(':')) : "";
            throw new ConfigFileException(cluster.file(), cluster.lineOf(key), cluster.field(key),
                    message.substring(message.indexOf(':') + 1).trim());
        }
    }

    /** Host name and process id, e.g. {@code gw-3:4711}; a peer's verdicts name it. */
    static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException | SecurityException unknown) {
            host = "gateway";
        }
        String id = host.replaceAll("\\s", "") + ":" + ProcessHandle.current().pid();
        return id.length() > 128 ? id.substring(0, 128) : id;
    }

}
