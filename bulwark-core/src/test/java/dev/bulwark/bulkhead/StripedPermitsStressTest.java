package dev.bulwark.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many threads take and return permits of one striped limit while the cells close and spread again (forced by a
 * closing thread, and by the limit running out). Invariants: never more than the limit held at once, a caller
 * whose demand fits in the limit is never refused, every waiter is served, and all permits are back at the end.
 */
class StripedPermitsStressTest {
    private static final int THREADS = 8;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger mostHeld = new AtomicInteger();

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void demandThatFitsInTheLimitIsNeverRefusedWhileCellsCloseAndSpread() throws Exception {
        int perThread = 4;
        StripedPermits permits = new StripedPermits(THREADS * perThread, Integer.MAX_VALUE, 8);
        AtomicBoolean running = new AtomicBoolean(true);
        Future<Integer> closer = pool.submit(() -> {
            int closes = 0;
            while (running.get()) {
                permits.centralize();
                closes++;
            }
            return closes;
        });
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<Integer>> refusals = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            refusals.add(pool.submit(() -> {
                start.await(5, TimeUnit.SECONDS);
                int refused = 0;
                for (int round = 0; round < 20_000; round++) {
                    int wanted = 1 + ThreadLocalRandom.current().nextInt(perThread);
                    int got = 0;
                    for (int i = 0; i < wanted; i++) {
                        if (permits.tryAcquire()) {
                            got++;
                            hold();
                        } else {
                            refused++;
                        }
                    }
                    for (int i = 0; i < got; i++) {
                        held.decrementAndGet();
                        permits.release();
                    }
                }
                return refused;
            }));
        }

        int refused = 0;
        for (Future<Integer> thread : refusals) {
            refused += thread.get(60, TimeUnit.SECONDS);
        }
        running.set(false);
        assertThat(closer.get(5, TimeUnit.SECONDS)).isPositive();

        assertThat(refused).as("refusals while a permit was free").isZero();
        assertThat(mostHeld.get()).isLessThanOrEqualTo(permits.limit());
        assertAllPermitsBack(permits);
    }

    @Test
    void demandOverTheLimitIsRefusedButNeverGrantedBeyondIt() throws Exception {
        StripedPermits permits = new StripedPermits(16, Integer.MAX_VALUE, 4);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<Integer>> grants = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            grants.add(pool.submit(() -> {
                start.await(5, TimeUnit.SECONDS);
                int granted = 0;
                for (int round = 0; round < 20_000; round++) {
                    int got = 0;
                    for (int i = 0; i < 4; i++) {
                        if (permits.tryAcquire()) {
                            got++;
                            hold();
                        }
                    }
                    granted += got;
                    for (int i = 0; i < got; i++) {
                        held.decrementAndGet();
                        permits.release();
                    }
                }
                return granted;
            }));
        }

        int granted = 0;
        for (Future<Integer> thread : grants) {
            granted += thread.get(60, TimeUnit.SECONDS);
        }

        assertThat(granted).isPositive();
        assertThat(mostHeld.get()).isLessThanOrEqualTo(16);
        assertAllPermitsBack(permits);
    }

    @Test
    void everyWaiterIsServedWhilePermitsMoveBetweenCellsAndTheCentralCount() throws Exception {
        ManualClock clock = new ManualClock(); // never advanced: no deadline passes, every wait must end by a hand-over
        StripedPermits permits = new StripedPermits(4, Integer.MAX_VALUE, 2);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<Integer>> served = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            served.add(pool.submit(() -> {
                start.await(5, TimeUnit.SECONDS);
                int calls = 0;
                for (int round = 0; round < 3_000; round++) {
                    CompletableFuture<Boolean> permit = permits.acquire(Duration.ofHours(1), clock);
                    if (Boolean.TRUE.equals(permit.get(5, TimeUnit.SECONDS))) {
                        calls++;
                        hold();
                        held.decrementAndGet();
                        permits.release();
                    }
                }
                return calls;
            }));
        }

        int calls = 0;
        for (Future<Integer> thread : served) {
            calls += thread.get(60, TimeUnit.SECONDS);
        }

        assertThat(calls).isEqualTo(THREADS * 3_000);
        assertThat(mostHeld.get()).isLessThanOrEqualTo(4);
        assertThat(permits.waiting()).isZero();
        assertAllPermitsBack(permits);
    }

    private void hold() {
        mostHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
    }

    private static void assertAllPermitsBack(StripedPermits permits) {
        assertThat(permits.inFlight()).isZero();
        for (int i = 0; i < permits.limit(); i++) {
            assertThat(permits.tryAcquire()).as("permit %d of %d", i + 1, permits.limit()).isTrue();
        }
        assertThat(permits.tryAcquire()).isFalse();
        assertThat(permits.inFlight()).isEqualTo(permits.limit());
    }
}
