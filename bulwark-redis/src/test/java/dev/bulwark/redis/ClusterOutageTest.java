package dev.bulwark.redis;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Three instances under load from threads while redis-server is killed and restarted: no call may fail because of
 * Redis, every instance reports DEGRADED during the outage and HEALTHY after it.
 */
class ClusterOutageTest {
    private static final int INSTANCES = 3;
    private static final int THREADS_PER_INSTANCE = 2;
    private static final int CALLS_PER_PHASE = 30_000;

    /** A call that costs a few microseconds, so the load is a service's rather than an empty loop's. */
    static long work() {
        long hash = 17;
        for (int i = 0; i < 500; i++) {
            hash = hash * 31 + i;
        }
        return hash;
    }

    @Test
    void killingAndRestartingRedisUnderLoadFailsNoCallAndEveryInstanceResynchronises() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            List<RedisLink> links = new ArrayList<>();
            List<ClusterRateLimiter> limiters = new ArrayList<>();
            CountDownLatch degraded = new CountDownLatch(INSTANCES);
            CountDownLatch healthy = new CountDownLatch(INSTANCES);
            for (int i = 0; i < INSTANCES; i++) {
                RedisLink link = RedisLink.connect(RedisEndpoint.of(redis.url()));
                links.add(link);
                // a limit far above the load: every refusal would be Redis's fault; the lease covers far more than
                // the calls of twice the refresh interval (see ClusterRateLimiter's sizing note)
                ClusterRateLimiter limiter = ClusterRateLimiter.builder("outage").limit(1_000_000_000_000L)
                        .lease(50_000).refreshInterval(Duration.ofMillis(50)).expectedInstances(INSTANCES)
                        .build(link);
                limiter.health().subscribe(change -> {
                    if (change.state() == SharedStateHealth.State.DEGRADED) {
                        degraded.countDown();
                    } else {
                        healthy.countDown();
                    }
                });
                limiters.add(limiter);
            }
            for (ClusterRateLimiter limiter : limiters) {
                limiter.refresh().get(5, SECONDS);
            }

            AtomicReference<CountDownLatch> phase = new AtomicReference<>(new CountDownLatch(CALLS_PER_PHASE));
            AtomicBoolean running = new AtomicBoolean(true);
            LongAdder failed = new LongAdder();
            AtomicReference<Throwable> firstFailure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (ClusterRateLimiter limiter : limiters) {
                for (int t = 0; t < THREADS_PER_INSTANCE; t++) {
                    Thread thread = new Thread(() -> {
                        while (running.get()) {
                            try {
                                limiter.execute(ClusterOutageTest::work);
                            } catch (Exception e) {
                                failed.increment();
                                firstFailure.compareAndSet(null, e);
                            }
                            phase.get().countDown();
                        }
                    });
                    threads.add(thread);
                    thread.start();
                }
            }

            assertThat(phase.get().await(30, SECONDS)).as("calls before the outage").isTrue();
            redis.stop();
            assertThat(degraded.await(10, SECONDS)).as("every instance reports DEGRADED").isTrue();
            phase.set(new CountDownLatch(CALLS_PER_PHASE));
            assertThat(phase.get().await(30, SECONDS)).as("calls during the outage").isTrue();
            long restartedAt = Clock.system().nanoTime();
            redis.restart();
            assertThat(healthy.await(15, SECONDS)).as("every instance resynchronises").isTrue();
            long resyncMillis = (Clock.system().nanoTime() - restartedAt) / 1_000_000;
            phase.set(new CountDownLatch(CALLS_PER_PHASE));
            assertThat(phase.get().await(30, SECONDS)).as("calls after the outage").isTrue();
            running.set(false);
            for (Thread thread : threads) {
                thread.join(10_000);
            }

            long fallbackCalls = limiters.stream().mapToLong(ClusterRateLimiter::fallbackPermittedCalls).sum();
            long total = limiters.stream().mapToLong(l -> l.permittedCalls() + l.rejectedCalls()).sum();
            System.out.printf("outage: %d calls, %d failed, %d decided locally, resync %d ms after the restart%n",
                    total, failed.sum(), fallbackCalls, resyncMillis);
            assertThat(failed.sum()).as("calls that failed because of Redis (first: %s)", firstFailure.get()).isZero();
            assertThat(limiters).allSatisfy(limiter -> {
                assertThat(limiter.health().state()).isEqualTo(SharedStateHealth.State.HEALTHY);
                assertThat(limiter.health().degradedSpells()).isPositive();
                assertThat(limiter.health().lastResyncNanos()).isPositive();
            });
            assertThat(fallbackCalls).as("calls decided locally during the outage").isPositive();
            limiters.forEach(ClusterRateLimiter::close);
            links.forEach(RedisLink::close);
        }
    }
}
