package dev.bulwark.server;

import dev.bulwark.yaml.GatewayCluster;
import dev.bulwark.yaml.GatewayConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code ./bulwark demo --cluster}: two gateways over the demo backends sharing one Redis ({@code BULWARK_REDIS_URL},
 * else a {@code redis-server} of our own on a free loopback port, stopped on close), on {@code BULWARK_PORT} (default
 * 8080) and the next port, so a breaker tripped on one is adopted by the other and a team's quota is granted once by
 * both. No demo load runs, so what you see is what you did. Closing it closes both gateways, the backends and the
 * Redis it started.
 */
final class DemoCluster implements AutoCloseable {
    /** The quota lease of the demo: small, so that both gateways share the walkthrough's four-query quota. */
    static final long LEASE = 2;
    static final String DEFAULT_TOKEN = "demo-token";

    private final @Nullable LocalRedis redis;
    private final DemoBackends backends;
    private final List<Gateway> gateways;
    private final String redisUrl;
    private final String token;

    private DemoCluster(@Nullable LocalRedis redis, String redisUrl, DemoBackends backends, List<Gateway> gateways,
                        String token) {
        this.redis = redis;
        this.redisUrl = redisUrl;
        this.backends = backends;
        this.gateways = gateways;
        this.token = token;
    }

    /** Starts Redis (unless {@code BULWARK_REDIS_URL} names one), the demo backends and the two gateways. */
    static DemoCluster start(Map<String, String> env) {
        String given = env.getOrDefault("BULWARK_REDIS_URL", "").trim();
        LocalRedis redis = given.isEmpty() ? LocalRedis.start() : null;
        String url = redis == null ? given : redis.url();
        DemoBackends backends = null;
        Gateway first = null;
        try {
            int demoPort = Integer.parseInt(env.getOrDefault("BULWARK_DEMO_PORT", "9100"));
            try {
                backends = DemoBackends.start(demoPort);
            } catch (RuntimeException failed) {
                throw PortInUse.explain(failed, "127.0.0.1", demoPort, "BULWARK_DEMO_PORT");
            }
            String givenToken = env.getOrDefault("BULWARK_ADMIN_TOKEN", "");
            String token = givenToken.isBlank() ? DEFAULT_TOKEN : givenToken;
            GatewayConfig base = GatewayMain.withEnvironment(GatewayMain.demoConfig(backends), env);
            int port = base.server().port();
            first = Gateway.start(configOf(backends, base, url, "gateway-a", port, token));
            Gateway second = Gateway.start(configOf(backends, base, url, "gateway-b",
                    port == 0 ? 0 : first.port() + 1, token));
            return new DemoCluster(redis, url, backends, List.of(first, second), token);
        } catch (RuntimeException failed) {
            if (first != null) {
                first.close();
            }
            if (backends != null) {
                backends.close();
            }
            closeQuietly(redis);
            throw failed;
        }
    }

    private static GatewayConfig configOf(DemoBackends backends, GatewayConfig base, String redisUrl, String instance,
                                          int port, String token) {
        // each gateway its own fresh database directory; only the cluster state is shared
        GatewayConfig own = GatewayMain.demoConfig(backends).withServer(base.server().withPort(port).withAdminToken(token));
        return own.withCluster(new GatewayCluster(redisUrl, instance, "bulwark-demo", true, true, 1,
                Duration.ofMillis(100), LEASE, 2));
    }

    List<Gateway> gateways() {
        return gateways;
    }

    /** What to try, as curl lines. */
    String walkthrough() {
        String a = "http://127.0.0.1:" + gateways.get(0).port();
        String b = "http://127.0.0.1:" + gateways.get(1).port();
        return String.join("\n",
                "two gateways share " + redisUrl + ": gateway-a " + a + " and gateway-b " + b + " (admin token " + token + ")",
                "a breaker opened by one is adopted by the other (within about 100-300 ms):",
                "  curl -s -X POST -H 'Authorization: Bearer " + token + "' " + a + "/health/adapters/fast/trip",
                "  curl -s " + b + "/health/adapters/fast        # state OPEN, reason peer_verdict",
                "one quota shared by both (curious-newcomer: 4 queries per 30 s in the whole cluster, leases of "
                        + LEASE + "):",
                "  for gw in " + a + " " + b + " " + a + " " + b + " " + a + " " + b + "; do curl -s -o /dev/null"
                        + " -w '%header{X-Bulwark-Quota} ' -H 'X-Team: curious-newcomer' -H 'Content-Type: application/json'"
                        + " $gw/query -d '{\"query\":\"hi\"}'; done; echo   # EXHAUSTED once the cluster's quota is spent",
                "the cluster's state (DEGRADED while Redis is down, queries still answered):",
                "  curl -s " + b + "/health/system ; curl -s " + b + "/metrics | grep bulwark_cluster");
    }

    @Override
    public void close() {
        gateways.forEach(Gateway::close);
        backends.close();
        closeQuietly(redis);
    }

    private static void closeQuietly(@Nullable LocalRedis redis) {
        if (redis == null) {
            return;
        }
        try {
            redis.close();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (java.io.IOException leftBehind) {
            System.getLogger("dev.bulwark.gateway").log(System.Logger.Level.WARNING, "redis-server's directory left "
                    + "behind: " + leftBehind.getMessage());
        }
    }
}
