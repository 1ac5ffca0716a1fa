package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.redis.SharedStateHealth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The wiring of {@code ./bulwark demo --cluster} on free ports: two gateways over the demo backends on one Redis
 * (the test's), both answer, the fast adapter tripped on one is adopted OPEN by the other as the walkthrough says,
 * and both charge the walkthrough's team to a cluster quota.
 */
class DemoClusterTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private LocalRedis ownRedis;
    private DemoCluster demo;

    @AfterEach
    void stop() throws Exception {
        if (demo != null) {
            demo.close();
        }
        if (ownRedis != null) {
            ownRedis.close();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void twoGatewaysAnswerAndShareABreakerVerdict() throws Exception {
        String redis = System.getenv("BULWARK_TEST_REDIS_URL");
        if (redis == null || redis.isBlank()) {
            ownRedis = LocalRedis.start();
            redis = ownRedis.url();
        }
        Map<String, String> env = new HashMap<>();
        env.put("BULWARK_REDIS_URL", redis);
        env.put("BULWARK_PORT", "0");
        env.put("BULWARK_DEMO_PORT", "0");
        demo = DemoCluster.start(env);
        Gateway a = demo.gateways().get(0);
        Gateway b = demo.gateways().get(1);
        for (Gateway gateway : demo.gateways()) {
            CountDownLatch connected = new CountDownLatch(1);
            gateway.cluster().onHealthChange(change -> {
                if (change.state() == SharedStateHealth.State.HEALTHY) {
                    connected.countDown();
                }
            });
            if (gateway.cluster().degraded(ClusterServices.BREAKERS)) {
                assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(gateway.cluster().settings().redisUrl()).isEqualTo(redis);
            assertThat(gateway.quotas().clusterShared()).isTrue();
            HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                    + "/query")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"hi\"}")));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
        assertThat(a.cluster().settings().instanceId()).isNotEqualTo(b.cluster().settings().instanceId());
        CountDownLatch adopted = new CountDownLatch(1);
        b.breakers().get("fast").subscribe(event -> {
            if (event instanceof CircuitBreaker.Event.StateTransition transition
                    && transition.to() == CircuitBreaker.State.OPEN) {
                adopted.countDown();
            }
        });

        HttpResponse<String> trip = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port()
                + "/health/adapters/fast/trip")).header("Authorization", "Bearer " + DemoCluster.DEFAULT_TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(trip.statusCode()).as(trip.body()).isEqualTo(200);
        assertThat(adopted.await(5, TimeUnit.SECONDS)).as("gateway-b adopts gateway-a's OPEN").isTrue();
        assertThat(b.state("fast")).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(demo.walkthrough()).contains("/health/adapters/fast/trip").contains("X-Team: curious-newcomer")
                .contains(":" + a.port()).contains(":" + b.port());
    }
}
