package dev.bulwark.yaml;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The gateway's {@code cluster:} block: the Redis several gateways share breaker verdicts and quotas through. Without
 * the block the gateway never touches Redis.
 *
 * @param redisUrl {@code redis_url}: {@code redis://host[:port][/database]} or {@code rediss://...} (required)
 * @param instanceId {@code instance_id}: this gateway's name among its peers, 1 to 128 characters without whitespace
 *     (default: host name and process id)
 * @param keyPrefix {@code key_prefix}: the prefix of every Redis key and channel, 1 to 64 of letters, digits,
 *     {@code . _ - :} (default {@code bulwark})
 * @param shareBreakers {@code share.breakers}: every adapter's breaker shares its verdicts (default true)
 * @param shareQuotas {@code share.quotas}: the {@code quotas:} keys are granted once across the cluster (default true)
 * @param verdictQuorum {@code verdict}: 1 for {@code any_instance} (default), n for {@code quorum(n)}, n in [1, 1000]
 * @param syncInterval {@code sync_interval}: how often breakers and quota leases sync, in [10 ms, 10 s] (default
 *     100 ms)
 * @param quotaLease {@code quota_lease}: quota units a gateway takes from Redis at a time, in [1, 1,000,000]
 *     (default 10); the cluster grants at most {@code limit + gateways x lease} per window
 * @param expectedInstances {@code expected_instances}: how many gateways share the quotas, in [1, 100,000] (default
 *     2); while Redis is down each grants {@code limit / expected_instances} alone
 */
public record GatewayCluster(String redisUrl, String instanceId, String keyPrefix, boolean shareBreakers,
                             boolean shareQuotas, int verdictQuorum, Duration syncInterval, long quotaLease,
                             int expectedInstances) {
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern QUORUM = Pattern.compile("quorum\\(\\s*(\\d{1,4})\\s*\\)");

    /** Checks every field; the message names the field, its value and what is allowed. */
    public GatewayCluster {
        Objects.requireNonNull(redisUrl, "redisUrl");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(syncInterval, "syncInterval");
        String why = urlProblem(redisUrl);
        if (why != null) {
            throw invalid("redis_url", redisUrl, "redis://host[:port][/database] or rediss://... (" + why + ")");
        }
        if (instanceId.isEmpty() || instanceId.length() > 128 || instanceId.chars().anyMatch(Character::isWhitespace)) {
            throw invalid("instance_id", instanceId, "1 to 128 characters, no whitespace");
        }
        if (!PREFIX.matcher(keyPrefix).matches()) {
            throw invalid("key_prefix", keyPrefix, "1 to 64 of letters, digits, . _ - :");
        }
        if (verdictQuorum < 1 || verdictQuorum > 1000) {
            throw invalid("verdict", "quorum(" + verdictQuorum + ")", "any_instance or quorum(n), n in [1, 1000]");
        }
        if (syncInterval.compareTo(Duration.ofMillis(10)) < 0 || syncInterval.compareTo(Duration.ofSeconds(10)) > 0) {
            throw invalid("sync_interval", syncInterval.toMillis() + "ms", "[10ms, 10s]");
        }
        if (quotaLease < 1 || quotaLease > 1_000_000) {
            throw invalid("quota_lease", Long.toString(quotaLease), "[1, 1000000]");
        }
        if (expectedInstances < 1 || expectedInstances > 100_000) {
            throw invalid("expected_instances", Integer.toString(expectedInstances), "[1, 100000]");
        }
    }

    /** The defaults for {@code redisUrl} and {@code instanceId}: share both, any instance, 100 ms, lease 10, 2 gateways. */
    public static GatewayCluster of(String redisUrl, String instanceId) {
        return new GatewayCluster(redisUrl, instanceId, "bulwark", true, true, 1, Duration.ofMillis(100), 10, 2);
    }

    /** This with another instance id (e.g. one per gateway of a demo). */
    public GatewayCluster withInstanceId(String other) {
        return new GatewayCluster(redisUrl, other, keyPrefix, shareBreakers, shareQuotas, verdictQuorum, syncInterval,
                quotaLease, expectedInstances);
    }

    /** This with another Redis (e.g. the environment's). */
    public GatewayCluster withRedisUrl(String other) {
        return new GatewayCluster(other, instanceId, keyPrefix, shareBreakers, shareQuotas, verdictQuorum, syncInterval,
                quotaLease, expectedInstances);
    }

    /** {@code any_instance} or {@code quorum(n)}, as in the YAML. */
    public String verdict() {
        return verdictQuorum == 1 ? "any_instance" : "quorum(" + verdictQuorum + ")";
    }

    /** Parses {@code any_instance} or {@code quorum(n)}; -1 when it is neither. */
    static int parseVerdict(String raw) {
        String value = raw.trim().toLowerCase(Locale.ROOT);
        if (value.equals("any_instance")) {
            return 1;
        }
        var matcher = QUORUM.matcher(value);
        return matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    private static @org.jspecify.annotations.Nullable String urlProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "not a URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            return "the scheme must be redis or rediss";
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return "no host";
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65_535)) {
            return "the port must be in [1, 65535]";
        }
        return null;
    }

    private static IllegalArgumentException invalid(String field, String value, String allowed) {
        return new IllegalArgumentException("cluster." + field + ": must be " + allowed + ", was '" + value + "'");
    }
}
