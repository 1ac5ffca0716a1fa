package dev.bulwark.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.time.Clock;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The limiter refills on the clock's coarse reading, which may lag the exact one. */
class CoarseRateLimiterTest {

    private final ManualClock exact = new ManualClock();
    private final AtomicLong coarse = new AtomicLong(exact.nanoTime() - Duration.ofMillis(1).toNanos());
    private final Clock laggingClock = new Clock() {
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
    };

    @Test
    void aFreshLimiterGrantsItsBurstWhenTheCoarseReadingLags() {
        RateLimiter limiter = RateLimiter.builder("api", 1).burst(1).clock(laggingClock).build();

        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
    }

    @Test
    void refillsAsTheCoarseReadingAdvances() {
        RateLimiter limiter = RateLimiter.builder("api", 1).burst(1).clock(laggingClock).build();
        assertThat(limiter.tryAcquire()).isTrue();

        exact.advance(Duration.ofSeconds(5));
        assertThat(limiter.tryAcquire()).as("exact time alone refills nothing").isFalse();
        coarse.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(limiter.tryAcquire()).isTrue();
    }
}
