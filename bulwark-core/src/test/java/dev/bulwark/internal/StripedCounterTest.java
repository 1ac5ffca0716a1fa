package dev.bulwark.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A count raised and lowered by many threads: exact once they stop, and never below what is still in meanwhile. */
class StripedCounterTest {

    @Test
    void countsUpAndDownOnOneThread() {
        StripedCounter counter = new StripedCounter(2);
        counter.increment();
        counter.increment();
        counter.decrement();

        assertThat(counter.sum()).isEqualTo(1);
    }

    @Test
    void aCountRaisedOnOneThreadAndLoweredOnAnotherSumsToZero() throws Exception {
        StripedCounter counter = new StripedCounter(4);
        Thread raiser = new Thread(counter::increment);
        raiser.start();
        raiser.join(5_000);
        assertThat(counter.sum()).isEqualTo(1);

        counter.decrement();

        assertThat(counter.sum()).isZero();
    }

    @Test
    void manyThreadsLeaveAnExactSumAndItNeverDropsBelowTheOnesStillIn() throws Exception {
        StripedCounter counter = new StripedCounter(2);
        int threads = 8;
        int rounds = 20_000;
        counter.increment(); // one that stays in throughout: no sum taken meanwhile may be below 1
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await(5, TimeUnit.SECONDS);
                    for (int i = 0; i < rounds; i++) {
                        counter.increment();
                        counter.decrement();
                    }
                    counter.increment(); // each leaves one in
                } catch (Exception failed) {
                    throw new IllegalStateException(failed);
                } finally {
                    done.countDown();
                }
            });
            workers.add(worker);
            worker.start();
        }
        start.await(5, TimeUnit.SECONDS);
        AtomicBoolean belowOne = new AtomicBoolean();
        while (!done.await(0, TimeUnit.MILLISECONDS)) {
            if (counter.sum() < 1) {
                belowOne.set(true);
            }
        }
        for (Thread worker : workers) {
            worker.join(5_000);
        }

        assertThat(belowOne).as("a sum taken while threads counted fell below the one that stayed in").isFalse();
        assertThat(counter.sum()).isEqualTo(threads + 1);
    }
}
