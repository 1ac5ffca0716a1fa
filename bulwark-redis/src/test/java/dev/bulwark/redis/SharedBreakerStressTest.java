package dev.bulwark.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitOpenException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many threads on several instances while verdicts fly (breakers opening on failures, adopting peers' verdicts,
 * probing, closing): every call ends as the backend's answer, the backend's failure or a breaker rejection (never an
 * error of the sharing), and every instance's own counts add up to the calls it was given.
 */
class SharedBreakerStressTest {

    private static final int INSTANCES = 3;
    private static final int THREADS_PER_INSTANCE = 4;
    private static final int CALLS_PER_THREAD = 3_000;
    private static RedisForTests redis;

    @BeforeAll
    static void startRedis() throws IOException {
        redis = RedisForTests.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @Test
    void everyCallEndsAsTheBackendOrTheBreakerDecidedAndTheCountsAddUp() throws Exception {
        try (SharedInstances cluster = new SharedInstances(redis.url, INSTANCES,
                b -> b.consecutiveFailureThreshold(5).recoveryTimeout(Duration.ofMillis(50))
                        .minimumNumberOfCalls(20).failureRateThreshold(40),
                s -> s.syncInterval(Duration.ofMillis(20)).probeClaimLead(Duration.ofMillis(10))
                        .commandTimeout(Duration.ofSeconds(5)))) {
            cluster.awaitAll(SharedStateHealth.State.HEALTHY);
            int threads = INSTANCES * THREADS_PER_INSTANCE;
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            AtomicLong answered = new AtomicLong();
            AtomicLong backendFailed = new AtomicLong();
            AtomicLong rejected = new AtomicLong();
            AtomicLong other = new AtomicLong();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                CircuitBreaker breaker = cluster.breaker(t % INSTANCES);
                int seed = t;
                done.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        boolean failing = ((i / 200) + seed) % 3 == 0; // bursts of failures
                        try {
                            breaker.execute(() -> {
                                if (failing) {
                                    throw new IllegalStateException("backend down");
                                }
                                return "ok";
                            });
                            answered.incrementAndGet();
                        } catch (IllegalStateException backend) {
                            backendFailed.incrementAndGet();
                        } catch (CircuitOpenException open) {
                            rejected.incrementAndGet();
                        } catch (Exception | Error anythingElse) {
                            other.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();

            long total = (long) threads * CALLS_PER_THREAD;
            assertThat(other.get()).isZero();
            assertThat(answered.get() + backendFailed.get() + rejected.get()).isEqualTo(total);
            long recorded = 0;
            long refused = 0;
            for (CircuitBreaker breaker : cluster.breakers) {
                CircuitBreaker.Stats stats = breaker.stats();
                recorded += stats.totalCalls();
                refused += stats.rejectedCalls();
            }
            assertThat(recorded).isEqualTo(answered.get() + backendFailed.get());
            assertThat(refused).isEqualTo(rejected.get());
            assertThat(cluster.shared.stream().mapToLong(SharedCircuitBreakers::adoptedVerdicts).sum())
                    .as("verdicts were shared during the run").isPositive();
            assertThat(cluster.shared).allSatisfy(s -> assertThat(s.health().failures()).isZero());
        }
    }
}
