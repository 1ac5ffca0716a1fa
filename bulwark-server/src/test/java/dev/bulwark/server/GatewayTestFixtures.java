package dev.bulwark.server;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Locale;

/**
 * What the gateway tests over real HTTP share: the YAML that turns off retries and health polling (so each query
 * calls its backend once and nothing else does), the cluster gateway with one shared team quota, and the query
 * request.
 */
final class GatewayTestFixtures {
    /** Retries and health monitoring off; a top-level YAML block to append to a test's own. */
    static final String NO_RETRY_NO_HEALTH_MONITORING = """
            fault_tolerance:
              retry:
                enabled: false
              health_monitoring:
                enabled: false
            """;

    private GatewayTestFixtures() {
    }

    /**
     * A cluster member on {@code redisUrl}: instance {@code instance} under {@code keyPrefix}, quota leases of
     * {@code lease}, team {@code team-a} (header {@code X-Team}) allowed {@code teamQuota} queries an hour, and one
     * adapter {@code main} at {@code mainUrl}.
     */
    static String clusterWithTeamQuota(String redisUrl, String instance, String keyPrefix, int lease, int teamQuota,
                                       URI mainUrl) {
        return String.format(Locale.ROOT, """
                cluster:
                  redis_url: %s
                  instance_id: %s
                  key_prefix: %s
                  quota_lease: %d
                quotas:
                  key_header: X-Team
                  window: 1h
                  limit: 100000
                  keys:
                    team-a: %d
                """, redisUrl, instance, keyPrefix, lease, teamQuota)
                + NO_RETRY_NO_HEALTH_MONITORING
                + String.format(Locale.ROOT, """
                adapters:
                  - name: main
                    url: %s
                """, mainUrl);
    }

    /** The address of a gateway started in this JVM. */
    static URI base(Gateway gateway) {
        return URI.create("http://127.0.0.1:" + gateway.port());
    }

    /** {@code POST /query} with the query {@code q} and a 20 s timeout; add headers as the test needs. */
    static HttpRequest.Builder query(URI base) {
        return HttpRequest.newBuilder(base.resolve("/query")).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"q\"}"));
    }

    /** {@link #query(URI)} with {@code header: value}, or without the header when {@code value} is null. */
    static HttpRequest.Builder query(URI base, String header, String value) {
        HttpRequest.Builder request = query(base);
        if (value != null) {
            request.header(header, value);
        }
        return request;
    }
}
