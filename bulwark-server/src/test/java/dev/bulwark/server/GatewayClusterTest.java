package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.redis.SharedStateHealth;
import dev.bulwark.yaml.GatewayConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateways in one JVM on one real redis-server ({@code BULWARK_TEST_REDIS_URL}, else one of the test's own): a
 * breaker tripped on one is adopted OPEN by the other, one team quota is granted once across both (plus the leases),
 * and Redis stopped mid-run never fails a query: {@code /health/system} shows the cluster DEGRADED with status 200, and
 * HEALTHY again after the restart.
 */
class GatewayClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LEASE = 10;
    private static final int QUOTA = 100;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScriptedBackend backend = new ScriptedBackend();
    private final List<Gateway> gateways = new ArrayList<>();
    private final String prefix = "gw" + UUID.randomUUID().toString().substring(0, 8);
    private final TestRedis redis = new TestRedis();

    @AfterEach
    void stop() throws Exception {
        gateways.forEach(Gateway::close);
        backend.close();
        redis.close();
    }

    private Gateway gateway(String redisUrl, String instance) {
        Gateway gateway = started(GatewayConfigLoader.parse(instance + ".yaml",
                GatewayTestFixtures.clusterWithTeamQuota(redisUrl, instance, prefix, LEASE, QUOTA, backend.url("/ok"))));
        gateways.add(gateway);
        return gateway;
    }

    private static Gateway started(dev.bulwark.yaml.GatewayConfig config) {
        return Gateway.start(config, 0, "secret", dev.bulwark.mode.ModeOrchestrator.of(config.modes().orchestrator()));
    }

    private HttpResponse<String> query(Gateway gateway, String team) throws Exception {
        return client.send(GatewayTestFixtures.query(GatewayTestFixtures.base(gateway), "X-Team", team).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(Gateway gateway, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitHealthy(Gateway gateway) throws Exception {
        CountDownLatch healthy = new CountDownLatch(1);
        gateway.cluster().onHealthChange(change -> {
            if (change.component().contains("breaker") && change.state() == SharedStateHealth.State.HEALTHY) {
                healthy.countDown();
            }
        });
        if (gateway.cluster().degraded(ClusterServices.BREAKERS)) {
            assertThat(healthy.await(10, TimeUnit.SECONDS)).as("shared breakers connected").isTrue();
        }
    }

    @Test
    void aBreakerTrippedOnOneGatewayIsAdoptedOpenByTheOther() throws Exception {
        String shared = redis.url();
        Gateway a = gateway(shared, "gw-a");
        Gateway b = gateway(shared, "gw-b");
        awaitHealthy(a);
        awaitHealthy(b);
        CircuitBreaker onB = b.breakers().get("main");
        CountDownLatch adopted = new CountDownLatch(1);
        onB.subscribe(event -> {
            if (event instanceof CircuitBreaker.Event.StateTransition transition
                    && transition.to() == CircuitBreaker.State.OPEN) {
                adopted.countDown();
            }
        });

        HttpResponse<String> trip = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port()
                + "/health/adapters/main/trip")).header("Authorization", "Bearer secret")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(trip.statusCode()).isEqualTo(200);
        assertThat(adopted.await(5, TimeUnit.SECONDS)).as("B adopts A's OPEN within 5 s").isTrue();
        assertThat(b.state("main")).isEqualTo(CircuitBreaker.State.OPEN);
        JsonNode cluster = JSON.readTree(get(b, "/health/system").body()).get("cluster");
        assertThat(cluster.get("components").get("breakers").get("adopted_verdicts").asLong()).isPositive();
    }

    @Test
    void oneTeamQuotaIsGrantedOnceAcrossBothGateways() throws Exception {
        String shared = redis.url();
        Gateway a = gateway(shared, "gw-a");
        Gateway b = gateway(shared, "gw-b");
        int granted = 0;
        int refused = 0;
        for (int i = 0; i < 3 * QUOTA; i++) {
            int status = query(i % 2 == 0 ? a : b, "team-a").statusCode();
            if (status == 200) {
                granted++;
            } else {
                assertThat(status).as("a query over the quota").isEqualTo(429);
                refused++;
            }
        }

        assertThat(granted).as("at most the quota plus one lease per gateway; two local quotas would grant "
                + 2 * QUOTA).isBetween(QUOTA, QUOTA + 2 * LEASE);
        assertThat(refused).isEqualTo(3 * QUOTA - granted);
        assertThat(JSON.readTree(get(a, "/resources").body()).get("shared_by_cluster").asBoolean()).isTrue();
    }

    @Test
    void redisStoppedMidRunFailsNoQueryAndShowsDegradedThenHealthy() throws Exception {
        LocalRedis ownRedis = redis.own();
        Gateway a = gateway(ownRedis.url(), "gw-a");
        awaitHealthy(a);
        assertThat(query(a, "team-a").statusCode()).isEqualTo(200);
        CountDownLatch degraded = new CountDownLatch(1);
        CountDownLatch healthyAgain = new CountDownLatch(1);
        a.cluster().onHealthChange(change -> {
            if (change.component().contains("breaker")) {
                (change.state() == SharedStateHealth.State.DEGRADED ? degraded : healthyAgain).countDown();
            }
        });

        ownRedis.stop();
        assertThat(degraded.await(10, TimeUnit.SECONDS)).as("the shared breakers notice Redis is gone").isTrue();
        for (int i = 0; i < 20; i++) {
            assertThat(query(a, "team-a").statusCode()).as("query %d while Redis is down", i).isEqualTo(200);
        }
        HttpResponse<String> during = get(a, "/health/system");
        assertThat(during.statusCode()).as("Redis down never makes the gateway unhealthy").isEqualTo(200);
        JsonNode cluster = JSON.readTree(during.body()).get("cluster");
        assertThat(cluster.get("state").asText()).isEqualTo("DEGRADED");
        assertThat(cluster.get("components").get("breakers").get("state").asText()).isEqualTo("DEGRADED");
        assertThat(cluster.get("components").get("breakers").get("last_cause").asText()).isNotBlank();
        assertThat(get(a, "/metrics").body()).contains("bulwark_cluster_degraded{component=\"breakers\"} 1.0")
                .contains("# HELP bulwark_cluster_degraded");

        ownRedis.restart();
        assertThat(healthyAgain.await(15, TimeUnit.SECONDS)).as("resynchronised after the restart").isTrue();
        JsonNode after = JSON.readTree(get(a, "/health/system").body()).get("cluster");
        assertThat(after.get("components").get("breakers").get("state").asText()).isEqualTo("HEALTHY");
        assertThat(get(a, "/metrics").body()).contains("bulwark_cluster_degraded{component=\"breakers\"} 0.0");
    }

    @Test
    void withoutAClusterBlockNothingIsShared() throws Exception {
        Gateway alone = started(GatewayConfigLoader.parse("g.yaml", "adapters:\n  - name: main\n    url: "
                + backend.url("/ok") + "\n"));
        gateways.add(alone);

        assertThat(alone.cluster()).isNull();
        assertThat(JSON.readTree(get(alone, "/health/system").body()).has("cluster")).isFalse();
        assertThat(get(alone, "/metrics").body()).doesNotContain("bulwark_cluster_degraded");
    }
}
