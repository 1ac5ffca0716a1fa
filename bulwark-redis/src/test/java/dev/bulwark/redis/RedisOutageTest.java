package dev.bulwark.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitBreaker.State;
import dev.bulwark.circuit.CircuitBreaker.TransitionReason;
import dev.bulwark.circuit.CircuitOpenException;
import dev.bulwark.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Redis is killed and restarted while several instances are under load: no call fails because of Redis, every
 * instance reports DEGRADED during the outage and HEALTHY after, and a verdict reached during the outage reaches the
 * peers once Redis is back.
 */
class RedisOutageTest {

    private static final int INSTANCES = 3;

    @Test
    void callsNeverFailBecauseOfRedisAndInstancesResynchroniseWhenItReturns() throws Exception {
        try (RedisServer redis = RedisServer.start();
             SharedInstances cluster = new SharedInstances(redis.url(), INSTANCES,
                     b -> b.recoveryTimeout(Duration.ofSeconds(60)),
                     s -> s.heartbeatInterval(Duration.ofMillis(200)))) {
            cluster.awaitAll(SharedStateHealth.State.HEALTHY);
            AtomicLong completed = new AtomicLong();
            AtomicLong rejectedByBreaker = new AtomicLong();
            AtomicLong failedBecauseOfRedis = new AtomicLong();
            AtomicReference<CountDownLatch> duringOutage = new AtomicReference<>(new CountDownLatch(0));
            ScheduledExecutorService load = Executors.newScheduledThreadPool(INSTANCES * 2);
            try {
                for (int i = 0; i < INSTANCES * 2; i++) {
                    CircuitBreaker breaker = cluster.breaker(i % INSTANCES);
                    load.scheduleAtFixedRate(() -> {
                        try {
                            breaker.execute(() -> "ok");
                            completed.incrementAndGet();
                            duringOutage.get().countDown();
                        } catch (CircuitOpenException open) {
                            rejectedByBreaker.incrementAndGet();
                        } catch (Exception | Error anythingElse) {
                            failedBecauseOfRedis.incrementAndGet();
                        }
                    }, 0, 1, TimeUnit.MILLISECONDS);
                }

                redis.stop();
                cluster.awaitAll(SharedStateHealth.State.DEGRADED);
                CountDownLatch hundredCallsDuringOutage = new CountDownLatch(100);
                duringOutage.set(hundredCallsDuringOutage);
                cluster.breaker(0).trip(); // a verdict the peers cannot hear yet
                SharedInstances.TransitionLatch bAdopts = SharedInstances.onTransition(cluster.breaker(1), State.OPEN,
                        TransitionReason.PEER_VERDICT);
                SharedInstances.TransitionLatch cAdopts = SharedInstances.onTransition(cluster.breaker(2), State.OPEN,
                        TransitionReason.PEER_VERDICT);
                assertThat(hundredCallsDuringOutage.await(10, TimeUnit.SECONDS))
                        .as("calls keep completing during the outage").isTrue();
                assertThat(cluster.breaker(1).state()).as("B decides locally during the outage").isEqualTo(State.CLOSED);

                long restartedAt = Clock.system().nanoTime();
                redis.restart();
                cluster.awaitAll(SharedStateHealth.State.HEALTHY);
                long resyncedAt = Clock.system().nanoTime();
                assertThat(bAdopts.await(Duration.ofSeconds(5))).as("A's outage verdict reaches B after resync").isTrue();
                assertThat(cAdopts.await(Duration.ofSeconds(5))).isTrue();
                System.out.println(String.format(java.util.Locale.ROOT,
                        "[shared-breakers] outage: %d calls completed, %d rejected by an open breaker, %d"
                                + " failed because of Redis; all %d instances HEALTHY %.0f ms after redis-server"
                                + " restarted, A's outage verdict adopted by B after %.0f ms",
                        completed.get(), rejectedByBreaker.get(), failedBecauseOfRedis.get(), INSTANCES,
                        (resyncedAt - restartedAt) / 1e6, (bAdopts.atNanos - restartedAt) / 1e6));
            } finally {
                load.shutdownNow();
                assertThat(load.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(failedBecauseOfRedis.get()).isZero();
            assertThat(cluster.shared.get(1).health().failures()).as("the outage was noticed").isPositive();
        }
    }

    @Test
    void anInstanceStartedWhileRedisIsDownWorksLocallyAndJoinsWhenRedisComes() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            redis.stop();
            try (SharedInstances cluster = new SharedInstances(redis.url(), 2, b -> b.recoveryTimeout(Duration.ofSeconds(60)),
                    s -> s.heartbeatInterval(Duration.ofMillis(200)))) {
                assertThat(cluster.shared.get(0).health().state()).isEqualTo(SharedStateHealth.State.DEGRADED);
                assertThat(cluster.breaker(0).execute(() -> "local")).isEqualTo("local");
                cluster.breaker(0).trip();

                redis.restart();
                SharedInstances.TransitionLatch bAdopts = SharedInstances.onTransition(cluster.breaker(1), State.OPEN,
                        TransitionReason.PEER_VERDICT);
                cluster.awaitAll(SharedStateHealth.State.HEALTHY);

                assertThat(bAdopts.await(Duration.ofSeconds(5))).as("the verdict from before Redis came is shared")
                        .isTrue();
            }
        }
    }
}
