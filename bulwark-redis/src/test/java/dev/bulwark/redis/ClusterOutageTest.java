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
 * Three instances (a limiter, a retry budget and a deferred queue each) under load from threads while redis-server is
 * killed and restarted: no call may fail because of Redis, every component reports DEGRADED during the outage and
 * HEALTHY after it, and what was queued meanwhile reaches the stream.
 */
class ClusterOutageTest {
    private static final int INSTANCES = 3;
    private static final int THREADS_PER_INSTANCE = 2;
    private static final int CALLS_PER_PHASE = 30_000;
    private static final long LEASE = 300_000;
    /** Enough calls during the outage that the instances spend their leases and decide alone. */
    private static final int CALLS_DURING_OUTAGE = (int) (2 * INSTANCES * LEASE);

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
            List<ClusterRetryBudget> budgets = new ArrayList<>();
            List<RedisStreamDeferredQueue<String>> queues = new ArrayList<>();
            // per instance: its limiter, retry budget and queue each turn DEGRADED once and HEALTHY once
            CountDownLatch degraded = new CountDownLatch(3 * INSTANCES);
            CountDownLatch healthy = new CountDownLatch(3 * INSTANCES);
            AtomicBoolean killed = new AtomicBoolean();
            AtomicBoolean restarted = new AtomicBoolean();
            // each component counts once: its first DEGRADED after the kill, its first HEALTHY after the restart
            java.util.function.Supplier<java.util.function.Consumer<SharedStateHealth.Change>> watcher = () -> {
                AtomicBoolean sawDegraded = new AtomicBoolean();
                AtomicBoolean sawHealthy = new AtomicBoolean();
                return change -> {
                    if (change.state() == SharedStateHealth.State.DEGRADED) {
                        if (killed.get() && sawDegraded.compareAndSet(false, true)) {
                            degraded.countDown();
                        }
                    } else if (restarted.get() && sawHealthy.compareAndSet(false, true)) {
                        healthy.countDown();
                    }
                };
            };
            for (int i = 0; i < INSTANCES; i++) {
                RedisLink link = RedisLink.connect(RedisEndpoint.of(redis.url()));
                links.add(link);
                // a limit far above the load: every refusal would be Redis's fault; the threads call as fast as the
                // CPU lets them (up to ~2 M calls/s an instance), so the lease covers that rate for twice the refresh
                // interval (see ClusterRateLimiter's sizing note)
                ClusterRateLimiter limiter = ClusterRateLimiter.builder("outage").limit(1_000_000_000_000L)
                        .lease(LEASE).refreshInterval(Duration.ofMillis(50)).expectedInstances(INSTANCES)
                        .build(link);
                limiter.health().subscribe(watcher.get());
                limiters.add(limiter);
                ClusterRetryBudget budget = ClusterRetryBudget.builder("outage").expectedInstances(INSTANCES)
                        .build(link);
                budget.health().subscribe(watcher.get());
                budgets.add(budget);
                RedisStreamDeferredQueue<String> queue = RedisStreamDeferredQueue
                        .builder("outage", dev.bulwark.queue.DeferredQueue.Codec.utf8())
                        .resyncInterval(Duration.ofMillis(100)).build(link);
                queue.health().subscribe(watcher.get());
                queues.add(queue);
            }
            for (ClusterRateLimiter limiter : limiters) {
                limiter.refresh().get(5, SECONDS);
            }

            AtomicReference<CountDownLatch> phase = new AtomicReference<>(new CountDownLatch(CALLS_PER_PHASE));
            AtomicBoolean running = new AtomicBoolean(true);
            LongAdder failed = new LongAdder();
            AtomicReference<Throwable> firstFailure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            LongAdder offered = new LongAdder();
            for (int i = 0; i < INSTANCES; i++) {
                ClusterRateLimiter limiter = limiters.get(i);
                ClusterRetryBudget budget = budgets.get(i);
                RedisStreamDeferredQueue<String> queue = queues.get(i);
                for (int t = 0; t < THREADS_PER_INSTANCE; t++) {
                    Thread thread = new Thread(() -> {
                        long call = 0;
                        while (running.get()) {
                            try {
                                limiter.execute(ClusterOutageTest::work);
                                budget.recordCall();
                                if (++call % 50 == 0) {
                                    budget.tryWithdraw(); // a failed call asks for a retry
                                }
                                if (call % 2_000 == 0) {
                                    queue.offer("call-" + call); // and one is queued for later
                                    offered.increment();
                                }
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
            killed.set(true);
            redis.stop();
            assertThat(degraded.await(10, SECONDS)).as("every instance's limiter, budget and queue report DEGRADED")
                    .isTrue();
            phase.set(new CountDownLatch(CALLS_DURING_OUTAGE));
            assertThat(phase.get().await(60, SECONDS)).as("calls during the outage").isTrue();
            long restartedAt = Clock.system().nanoTime();
            restarted.set(true);
            redis.restart();
            boolean resynchronised = healthy.await(60, SECONDS);
            assertThat(resynchronised).as("every instance's limiter, budget and queue resynchronise: limiters %s, "
                    + "budgets %s, queues %s", limiters.stream().map(l -> l.health().state()).toList(),
                    budgets.stream().map(b -> b.health().state()).toList(),
                    queues.stream().map(q -> q.health().state() + "/" + q.spilled()).toList()).isTrue();
            long resyncMillis = (Clock.system().nanoTime() - restartedAt) / 1_000_000;
            phase.set(new CountDownLatch(CALLS_PER_PHASE));
            assertThat(phase.get().await(30, SECONDS)).as("calls after the outage").isTrue();
            running.set(false);
            for (Thread thread : threads) {
                thread.join(10_000);
            }

            // with the load stopped, whatever a late answer under load sent to the spill moves to the stream
            for (RedisStreamDeferredQueue<String> queue : queues) {
                assertThat(queue.resync()).isTrue();
            }
            long spilled = queues.stream().mapToLong(RedisStreamDeferredQueue::spilled).sum();
            long fallbackCalls = limiters.stream().mapToLong(ClusterRateLimiter::fallbackPermittedCalls).sum();
            long total = limiters.stream().mapToLong(l -> l.permittedCalls() + l.rejectedCalls()).sum();
            System.out.printf(java.util.Locale.ROOT, "outage: %d calls, %d failed, %d decided locally, %d queued for later, resync %d ms after "
                    + "the restart%n", total, failed.sum(), fallbackCalls, offered.sum(), resyncMillis);
            assertThat(failed.sum()).as("calls that failed because of Redis (first: %s)", firstFailure.get()).isZero();
            assertThat(limiters).allSatisfy(limiter -> {
                assertThat(limiter.health().state()).isEqualTo(SharedStateHealth.State.HEALTHY);
                assertThat(limiter.health().degradedSpells()).isPositive();
                assertThat(limiter.health().lastResyncNanos()).isPositive();
            });
            assertThat(fallbackCalls).as("calls decided locally during the outage").isPositive();
            assertThat(offered.sum()).as("items queued for later").isPositive();
            assertThat(spilled).as("items spilled during the outage moved to the stream").isZero();
            queues.forEach(RedisStreamDeferredQueue::close);
            budgets.forEach(ClusterRetryBudget::close);
            limiters.forEach(ClusterRateLimiter::close);
            links.forEach(RedisLink::close);
        }
    }
}
