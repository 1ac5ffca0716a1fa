package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many threads record calls through one breaker while the dashboard closes intervals: every call is counted in
 * exactly one sample and every failure with it, with no lock on the calls' path.
 */
class DashboardSamplesStressTest {
    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 5_000;

    @Test
    void everyCallLandsInExactlyOneSampleWhileSamplesAreTaken() throws Exception {
        Registry registry = new Registry();
        // a quarter failing never opens it: every thread's first call fails, so the threads can fail several times in a
        // row (the consecutive-failure trip is off) and a window judged after a few calls could see only failures
        CircuitBreaker breaker = registry.register(CircuitBreaker.builder("stress").failureRateThreshold(100)
                .consecutiveFailureThreshold(0).windowSize(100).minimumNumberOfCalls(100).build());
        List<DashboardSamples.Sample> samples = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (DashboardSamples dashboard = new DashboardSamples(registry, 10, () -> { })) {
            CyclicBarrier start = new CyclicBarrier(THREADS + 1);
            CountDownLatch done = new CountDownLatch(THREADS);
            List<Future<?>> callers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                callers.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        boolean fail = i % 4 == 0;
                        try {
                            breaker.execute(() -> {
                                if (fail) {
                                    throw new IllegalStateException("planned");
                                }
                                return "ok";
                            });
                        } catch (IllegalStateException planned) {
                            // a quarter of the calls fail on purpose
                        }
                    }
                    done.countDown();
                    return null;
                }));
            }
            start.await(10, TimeUnit.SECONDS);
            long at = 0;
            // an interval closes every millisecond or so while the calls run (at most a thousand of them)
            while (!done.await(1, TimeUnit.MILLISECONDS) && samples.size() < 1_000) {
                samples.add(dashboard.sample(++at, Map.of("stress", breaker)).get("stress"));
            }
            for (Future<?> caller : callers) {
                caller.get(30, TimeUnit.SECONDS);
            }
            samples.add(dashboard.sample(++at, Map.of("stress", breaker)).get("stress"));
        } finally {
            pool.shutdownNow();
        }

        long calls = samples.stream().mapToLong(DashboardSamples.Sample::calls).sum();
        double failures = samples.stream().filter(sample -> sample.errorRate() != null)
                .mapToDouble(sample -> sample.errorRate() * sample.calls() / 100.0).sum();
        assertThat(samples.size()).as("intervals closed while calls ran").isGreaterThan(1);
        assertThat(calls).isEqualTo((long) THREADS * CALLS_PER_THREAD);
        assertThat(failures).isCloseTo(THREADS * CALLS_PER_THREAD / 4.0, org.assertj.core.data.Offset.offset(0.5));
    }
}
