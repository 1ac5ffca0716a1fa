package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.mode.ModeOrchestrator;
import dev.bulwark.yaml.GatewayConfigLoader;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A mostly-working backend under concurrent load, over real HTTP: it fails 9 % of its calls, in bursts (as a backend
 * does when a dependency of its own hiccups). With many queries in flight a burst fails many of them together, so a
 * consecutive-failure criterion opens although 91 % of calls succeed; a failure-rate criterion over a time window
 * judges the same traffic by its rate and leaves the circuit closed.
 */
class GatewayBreakerUnderLoadTest {
    private static final int CLIENTS = 32;
    private static final int QUERIES_PER_CLIENT = 30;
    /** 30 failing calls in every 330: 9.1 %, bunched. */
    private static final int BURST = 30;
    private static final int PERIOD = 330;

    private final AtomicInteger rateCalls = new AtomicInteger();
    private final AtomicInteger consecutiveCalls = new AtomicInteger();
    private final Javalin backend = Javalin.create(config -> {
        config.routes.get("/rate", ctx -> ctx.status(failing(rateCalls) ? 500 : 200).result("r"));
        config.routes.get("/consecutive", ctx -> ctx.status(failing(consecutiveCalls) ? 500 : 200).result("c"));
    }).start("127.0.0.1", 0);
    /** The last {@code BURST} calls of each period fail. */
    private static boolean failing(AtomicInteger calls) {
        return calls.getAndIncrement() % PERIOD >= PERIOD - BURST;
    }

    private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    private Gateway gateway;

    @AfterEach
    void stop() throws InterruptedException {
        clients.shutdownNow();
        assertThat(clients.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        if (gateway != null) {
            gateway.close();
        }
        backend.stop();
    }

    @Test
    void aFailureRateCriterionKeepsAMostlyWorkingBackendInUseUnderConcurrentLoad() throws Exception {
        String base = "http://127.0.0.1:" + backend.port();
        gateway = Gateway.start(GatewayConfigLoader.parse("load.yaml", String.format(java.util.Locale.ROOT, """
                fault_tolerance:
                  recovery_timeout: 30s
                  retry:
                    enabled: false
                  execution:
                    timeout: 10s
                    max_concurrent_adapters: 200
                adapters:
                  - name: rate
                    url: %s/rate
                    fault_tolerance:
                      failure_threshold: 0
                      failure_rate_threshold: 50
                      window_type: time
                      window_size: 60
                      minimum_number_of_calls: 20
                  - name: consecutive
                    url: %s/consecutive
                    fault_tolerance:
                      failure_threshold: 5
                """, base, base)), 0, "secret",
                ModeOrchestrator.builder("gateway").evaluationInterval(Duration.ofHours(1)).build());

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest query = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/query"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"load\"}")).build();
        CyclicBarrier together = new CyclicBarrier(CLIENTS);
        List<Future<Integer>> answered = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            answered.add(clients.submit(() -> {
                together.await(10, TimeUnit.SECONDS);
                int ok = 0;
                for (int q = 0; q < QUERIES_PER_CLIENT; q++) {
                    ok += client.send(query, HttpResponse.BodyHandlers.ofString()).statusCode() == 200 ? 1 : 0;
                }
                return ok;
            }));
        }
        int ok = 0;
        for (Future<Integer> one : answered) {
            ok += one.get(120, TimeUnit.SECONDS);
        }
        assertThat(ok).isEqualTo(CLIENTS * QUERIES_PER_CLIENT);

        CircuitBreaker rate = gateway.breakers().get("rate");
        CircuitBreaker.Stats rateStats = rate.stats();
        assertThat(rate.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(rateStats.history()).isEmpty();
        assertThat(rateStats.rejectedCalls()).isZero();
        assertThat(rateStats.totalCalls()).isEqualTo(CLIENTS * QUERIES_PER_CLIENT);
        assertThat(rateStats.failedCalls()).as("the backend really failed its share")
                .isGreaterThanOrEqualTo((long) CLIENTS * QUERIES_PER_CLIENT / PERIOD * BURST);

        CircuitBreaker.Stats consecutiveStats = gateway.breakers().get("consecutive").stats();
        assertThat(consecutiveStats.history()).as("the same traffic trips a consecutive-failure criterion")
                .anySatisfy(transition -> {
                    assertThat(transition.to()).isEqualTo(CircuitBreaker.State.OPEN);
                    assertThat(transition.reason()).isEqualTo(CircuitBreaker.TransitionReason.CONSECUTIVE_FAILURES);
                });
        assertThat(consecutiveStats.rejectedCalls()).isPositive();
    }
}
