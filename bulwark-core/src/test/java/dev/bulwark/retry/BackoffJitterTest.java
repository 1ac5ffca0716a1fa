package dev.bulwark.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Backoff#withJitter(Duration)}: delay plus uniform [-J, +J], clamped at zero. */
class BackoffJitterTest {

    private static final long MS = 1_000_000L;

    /** A random whose draws are given, to pin the edges of the range. */
    private static Random drawing(double... draws) {
        return new Random() {
            private int next;

            @Override
            public double nextDouble() {
                return draws[next++];
            }
        };
    }

    @Test
    void theDrawMovesTheDelayLinearlyAcrossMinusJToPlusJ() {
        Backoff backoff = Backoff.fixed(Duration.ofMillis(1000)).withJitter(Duration.ofMillis(200));
        Random random = drawing(0.0, 0.25, 0.5, 0.75);

        assertThat(backoff.delayNanos(1, 0, random)).isEqualTo(800 * MS);
        assertThat(backoff.delayNanos(2, 0, random)).isEqualTo(900 * MS);
        assertThat(backoff.delayNanos(3, 0, random)).isEqualTo(1000 * MS);
        assertThat(backoff.delayNanos(4, 0, random)).isEqualTo(1100 * MS);
    }

    @Test
    void aJitterLargerThanTheDelayIsClampedAtZero() {
        Backoff backoff = Backoff.fixed(Duration.ofMillis(100)).withJitter(Duration.ofMillis(200));

        assertThat(backoff.delayNanos(1, 0, drawing(0.0))).isZero();
        assertThat(backoff.delayNanos(1, 0, drawing(0.2))).as("100 - 120 ms").isZero();
        assertThat(backoff.delayNanos(1, 0, drawing(0.5))).isEqualTo(100 * MS);
    }

    @Test
    void aZeroDelayWithJitterWaitsBetweenZeroAndJ() {
        Backoff backoff = Backoff.fixed(Duration.ZERO).withJitter(Duration.ofMillis(200));
        Random random = new Random(11);
        long max = 0;
        for (int i = 0; i < 1000; i++) {
            long delay = backoff.delayNanos(1, 0, random);
            assertThat(delay).isBetween(0L, 200 * MS);
            max = Math.max(max, delay);
        }
        assertThat(max).as("the upper half is reached").isGreaterThan(150 * MS);
    }

    @Test
    void theSameSeedGivesTheSameDelaysAndTheSpreadStaysWithinJ() {
        Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30))
                .withJitter(Duration.ofMillis(300));
        List<Long> first = delays(backoff, new Random(5));
        List<Long> second = delays(backoff, new Random(5));

        assertThat(first).isEqualTo(second);
        for (int retry = 1; retry <= first.size(); retry++) {
            long base = Backoff.exponential(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30))
                    .delayNanos(retry, 0, new Random(0));
            assertThat(first.get(retry - 1)).isBetween(base - 300 * MS, base + 300 * MS);
        }
        assertThat(first.stream().map(delay -> delay % (100 * MS)).distinct()).as("jittered, not round").hasSizeGreaterThan(1);
    }

    private static List<Long> delays(Backoff backoff, Random random) {
        List<Long> delays = new ArrayList<>();
        for (int retry = 1; retry <= 6; retry++) {
            delays.add(backoff.delayNanos(retry, 0, random));
        }
        return delays;
    }

    @Test
    void aRetryWaitsTheJitteredDelayDrawnFromItsRandom() throws Exception {
        ManualClock clock = new ManualClock();
        Retry retry = Retry.builder("r").maxRetries(1).random(drawing(1.0 - 0x1p-53))
                .backoff(Backoff.fixed(Duration.ofMillis(500)).withJitter(Duration.ofMillis(100)))
                .clockAndScheduler(clock).build();
        AtomicInteger attempts = new AtomicInteger();
        long start = clock.nanoTime();

        assertThat(retry.execute(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IOException("once");
            }
            return "ok";
        })).isEqualTo("ok");
        assertThat(clock.nanoTime() - start).as("500 ms + almost 100 ms").isBetween(599 * MS, 600 * MS);
    }

    @Test
    void aNegativeJitterFailsAndZeroChangesNothing() {
        Backoff fixed = Backoff.fixed(Duration.ofSeconds(1));
        assertThatThrownBy(() -> fixed.withJitter(Duration.ofMillis(-1))).isInstanceOf(ConfigException.class)
                .hasMessage("backoff: jitter must be a duration >= 0, was PT-0.001S");
        assertThat(fixed.withJitter(Duration.ZERO)).isSameAs(fixed);
    }

    @Test
    void anAdaptiveBackoffStillLearnsThroughTheJitter() {
        Backoff jittered = Backoff.adaptive(Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofSeconds(10))
                .withJitter(Duration.ofMillis(1));
        jittered.onFailure();
        assertThat(jittered.delayNanos(1, 0, drawing(0.5))).isEqualTo(2000 * MS);
        jittered.onSuccess();
        jittered.onSuccess();
        assertThat(jittered.delayNanos(1, 0, drawing(0.5))).isEqualTo(500 * MS);
    }
}
