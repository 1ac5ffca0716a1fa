package dev.bulwark.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.time.Clock;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Timed calls read the clock's coarse reading, never its exact one. */
class CoarseTimingTest {

    /** A clock whose coarse reading moves only when told to, independently of its exact reading. */
    static final class SplitClock implements Clock {
        final ManualClock exact = new ManualClock();
        final AtomicLong coarse = new AtomicLong(exact.nanoTime());

        @Override
        public long nanoTime() {
            return exact.nanoTime();
        }

        @Override
        public long coarseNanoTime() {
            return coarse.get();
        }

        @Override
        public long wallMillis() {
            return exact.wallMillis();
        }
    }

    @Test
    void slowCallsAndLatenciesAreMeasuredOnTheCoarseReading() throws Exception {
        SplitClock clock = new SplitClock();
        CircuitBreaker breaker = CircuitBreaker.builder("coarse").clock(clock).slowCallDuration(Duration.ofSeconds(1))
                .trackLatency(true).build();

        breaker.execute(() -> clock.coarse.addAndGet(Duration.ofSeconds(2).toNanos()));
        breaker.execute(() -> {
            clock.exact.advance(Duration.ofSeconds(2));
            return "answer";
        });

        CircuitBreaker.Stats stats = breaker.stats();
        assertThat(stats.slowCalls()).isEqualTo(1);
        assertThat(stats.totalCalls()).isEqualTo(2);
        assertThat(stats.meanLatencyMillis()).hasValue(1_000.0);
    }

    @Test
    void failuresRightAfterTheCircuitClosesCountWhenTheCoarseReadingLags() {
        SplitClock clock = new SplitClock();
        clock.coarse.addAndGet(-Duration.ofSeconds(1).toNanos()); // the coarse reading a second behind
        CircuitBreaker breaker = CircuitBreaker.builder("lagging").clock(clock).slowCallDuration(Duration.ofSeconds(10))
                .consecutiveFailureThreshold(2).build();

        for (int i = 0; i < 2; i++) {
            try {
                breaker.execute(() -> {
                    throw new IOException("down");
                });
            } catch (Exception expected) {
                // the failures under test
            }
        }

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }
}
