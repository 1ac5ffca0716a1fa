package dev.bulwark.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many threads on one breaker: no lost counts, no illegal transitions, never too many probes. */
class CircuitBreakerStressTest {

    private static final int THREADS = 8;
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void noOutcomeIsLostUnderContention() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.builder("counted").clock(new ManualClock()).countWindow(1000)
                .failureRateThreshold(100).consecutiveFailureThreshold(0).build();
        int perThread = 20_000;
        LongAdder failuresThrown = new LongAdder();

        runTogether(() -> {
            for (int i = 0; i < perThread; i++) {
                boolean failing = ThreadLocalRandom.current().nextInt(10) == 0;
                try {
                    breaker.execute(() -> {
                        if (failing) {
                            throw new IOException("x");
                        }
                        return "ok";
                    });
                } catch (IOException expected) {
                    failuresThrown.increment();
                }
            }
            return null;
        });

        CircuitBreaker.Stats stats = breaker.stats();
        assertThat(stats.totalCalls()).isEqualTo((long) THREADS * perThread);
        assertThat(stats.failedCalls()).isEqualTo(failuresThrown.sum());
        assertThat(stats.successfulCalls()).isEqualTo((long) THREADS * perThread - failuresThrown.sum());
        assertThat(stats.rejectedCalls()).isZero();
        assertThat(stats.windowCalls()).isEqualTo(1000);
    }

    @Test
    void transitionsStayLegalAndEveryAttemptIsAccountedFor() throws Exception {
        ManualClock clock = new ManualClock();
        CircuitBreaker breaker = CircuitBreaker.builder("flapping").clock(clock).countWindow(20).minimumNumberOfCalls(5)
                .consecutiveFailureThreshold(3).recoveryTimeout(Duration.ofMillis(10))
                .maxRecoveryTimeout(Duration.ofMillis(40)).build();
        ConcurrentLinkedQueue<CircuitBreaker.Event.StateTransition> transitions = new ConcurrentLinkedQueue<>();
        breaker.subscribe(event -> {
            if (event instanceof CircuitBreaker.Event.StateTransition transition) {
                transitions.add(transition);
            }
        });
        LongAdder attempts = new LongAdder();
        LongAdder rejections = new LongAdder();
        LongAdder admitted = new LongAdder();
        int perThread = 10_000;

        // time moves with the calls (each thread advances it every 20 attempts), not with a thread of its own that a
        // loaded machine may run much faster or slower than the callers: the number of transitions then no longer
        // depends on scheduling
        runTogether(() -> {
            for (int i = 0; i < perThread; i++) {
                if (i % 20 == 0) {
                    clock.advance(Duration.ofMillis(1));
                }
                attempts.increment();
                boolean failing = ThreadLocalRandom.current().nextInt(3) == 0;
                try {
                    breaker.execute(() -> {
                        admitted.increment();
                        if (failing) {
                            throw new IOException("x");
                        }
                        return "ok";
                    });
                } catch (CircuitOpenException rejected) {
                    rejections.increment();
                } catch (IOException expected) {
                    // counted by the breaker
                }
            }
            return null;
        });

        CircuitBreaker.Stats stats = breaker.stats();
        assertThat(admitted.sum() + rejections.sum()).isEqualTo(attempts.sum());
        assertThat(stats.rejectedCalls()).isEqualTo(rejections.sum());
        assertThat(stats.totalCalls()).isEqualTo(admitted.sum());
        assertThat(transitions).as("the breaker really flapped").hasSizeGreaterThan(10);

        Set<String> legal = Set.of("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED", "HALF_OPEN->OPEN");
        Map<CircuitBreaker.State, Integer> balance = new EnumMap<>(CircuitBreaker.State.class);
        for (CircuitBreaker.Event.StateTransition transition : transitions) {
            assertThat(transition.from() + "->" + transition.to()).isIn(legal);
            balance.merge(transition.from(), -1, Integer::sum);
            balance.merge(transition.to(), 1, Integer::sum);
        }
        // every state entered was left again, except the one the breaker ends in (entered once more than left)
        balance.merge(CircuitBreaker.State.CLOSED, 1, Integer::sum); // the initial state was entered without an event
        CircuitBreaker.State finalState = breaker.state();
        balance.forEach((state, net) -> assertThat(net).as(state.toString()).isEqualTo(state == finalState ? 1 : 0));
    }

    @Test
    void concurrentCallersNeverGetMoreProbesThanConfigured() throws Exception {
        for (int round = 0; round < 50; round++) {
            ManualClock clock = new ManualClock();
            CircuitBreaker breaker = CircuitBreaker.builder("probes").clock(clock).halfOpenMaxProbes(4).build();
            breaker.trip();
            clock.advance(Duration.ofSeconds(60));
            AtomicInteger granted = new AtomicInteger();

            runTogether(() -> {
                for (int i = 0; i < 100; i++) {
                    if (breaker.tryAcquirePermission()) {
                        granted.incrementAndGet();
                    }
                }
                return null;
            });

            assertThat(granted.get()).isEqualTo(4);
        }
    }

    /** Starts the task on every thread at once and waits (bounded) for all of them. */
    private void runTogether(java.util.concurrent.Callable<Void> task) throws Exception {
        CountDownLatch ready = new CountDownLatch(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Void>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            futures.add(pool.submit(() -> {
                ready.countDown();
                start.await();
                return task.call();
            }));
        }
        assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
        start.countDown();
        for (Future<Void> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }
    }
}
