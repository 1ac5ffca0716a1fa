package dev.bulwark.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitBreaker.State;
import dev.bulwark.circuit.CircuitBreaker.TransitionReason;
import dev.bulwark.time.Clock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Scale in simulation: 50 instances in one JVM (each its own breaker and Lettuce client) against one redis-server,
 * all under load. Measures Redis commands per second per instance in steady state (the instances' own count and
 * Redis's INFO) and the time for all 49 peers to adopt one instance's OPEN; prints both for the README.
 */
class FiftyInstancesSimulationTest {

    private static final int INSTANCES = 50;
    private static final Duration STEADY_WINDOW = Duration.ofSeconds(3);

    @Test
    void fiftyInstancesAdoptAnOpenWithinTheBoundAndLoadRedisLightly() throws Exception {
        try (RedisServer redis = RedisServer.start();
             SharedInstances cluster = new SharedInstances(redis.url(), INSTANCES,
                     b -> b.recoveryTimeout(Duration.ofSeconds(60)), s -> s);
             RedisClientCloser info = new RedisClientCloser(RedisClient.create(redis.url()))) {
            cluster.awaitAll(SharedStateHealth.State.HEALTHY);
            AtomicLong calls = new AtomicLong();
            ScheduledExecutorService load = Executors.newScheduledThreadPool(4);
            try {
                for (int i = 0; i < INSTANCES; i++) {
                    CircuitBreaker breaker = cluster.breaker(i);
                    load.scheduleAtFixedRate(() -> {
                        try {
                            breaker.execute(() -> "ok");
                            calls.incrementAndGet();
                        } catch (Exception rejected) {
                            // open: rejected locally
                        }
                    }, i % 10, 10, TimeUnit.MILLISECONDS); // about 100 calls/s per instance, 5,000/s in all
                }
                StatefulRedisConnection<String, String> connection = info.client.connect();
                long opsBefore = cluster.shared.stream().mapToLong(SharedCircuitBreakers::redisOperations).sum();
                long redisBefore = processedCommands(connection);
                long callsBefore = calls.get();
                awaitWindow(STEADY_WINDOW);
                long ops = cluster.shared.stream().mapToLong(SharedCircuitBreakers::redisOperations).sum() - opsBefore;
                long redisOps = processedCommands(connection) - redisBefore - 1;
                long served = calls.get() - callsBefore;
                double seconds = STEADY_WINDOW.toMillis() / 1000.0;

                List<SharedInstances.TransitionLatch> adopted = new ArrayList<>();
                for (int i = 1; i < INSTANCES; i++) {
                    adopted.add(SharedInstances.onTransition(cluster.breaker(i), State.OPEN, TransitionReason.PEER_VERDICT));
                }
                long trippedAt = Clock.system().nanoTime();
                cluster.breaker(0).trip();
                for (int i = 0; i < adopted.size(); i++) {
                    int peer = i + 1;
                    assertThat(adopted.get(i).await(Duration.ofSeconds(5)))
                            .as(() -> "peer " + peer + " adopts the OPEN: " + cluster.breaker(peer).state() + " "
                                    + cluster.shared.get(peer).health() + " adopted "
                                    + cluster.shared.get(peer).adoptedVerdicts()).isTrue();
                }
                double[] delays = adopted.stream().mapToDouble(l -> (l.atNanos - trippedAt) / 1e6).sorted().toArray();
                System.out.println(String.format(java.util.Locale.ROOT,
                        "[shared-breakers] %d instances, %.0f calls/s in all: %.1f Redis commands/s per instance"
                                + " (own count; redis INFO: %.1f/s per instance, %.0f/s in all); OPEN adopted by all %d"
                                + " peers after %.0f ms (median %.0f ms)",
                        INSTANCES, served / seconds, ops / seconds / INSTANCES, redisOps / seconds / INSTANCES,
                        redisOps / seconds, INSTANCES - 1, delays[delays.length - 1], delays[delays.length / 2]));
                assertThat(ops / seconds / INSTANCES).as("commands/s per instance under load").isLessThan(50);
                assertThat(Arrays.stream(delays).max().orElseThrow()).isLessThan(5_000);
            } finally {
                load.shutdownNow();
                assertThat(load.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    private static long processedCommands(StatefulRedisConnection<String, String> connection) {
        for (String line : connection.sync().info("stats").split("\r?\n")) {
            if (line.startsWith("total_commands_processed:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new IllegalStateException("no total_commands_processed in INFO stats");
    }

    /** Lets the load run for a measuring window: a timer ends it (the window is what is measured, not awaited). */
    private static void awaitWindow(Duration window) throws InterruptedException {
        CountDownLatch over = new CountDownLatch(1);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            timer.schedule(over::countDown, window.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(over.await(window.toMillis() + 5_000, TimeUnit.MILLISECONDS)).isTrue();
        } finally {
            timer.shutdownNow();
        }
    }

    private record RedisClientCloser(RedisClient client) implements AutoCloseable {
        @Override
        public void close() {
            client.shutdown();
        }
    }
}
