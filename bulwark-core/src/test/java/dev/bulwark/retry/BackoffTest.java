package dev.bulwark.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seed 2's sequences and seed 3's overflow safety. */
class BackoffTest {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration HOUR = Duration.ofHours(1);

    private static List<Long> seconds(Backoff backoff, int retries) {
        List<Long> delays = new ArrayList<>();
        long previous = 0;
        Random random = new Random(7);
        for (int retry = 1; retry <= retries; retry++) {
            previous = backoff.delayNanos(retry, previous, random);
            delays.add(previous / 1_000_000_000L);
        }
        return delays;
    }

    @Test
    void exponentialDoubles() {
        assertThat(seconds(Backoff.exponential(SECOND, 2.0, HOUR), 4)).containsExactly(1L, 2L, 4L, 8L);
    }

    @Test
    void linearAddsTheIncrement() {
        assertThat(seconds(Backoff.linear(SECOND, SECOND, HOUR), 4)).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void fibonacciFollowsTheSequence() {
        assertThat(seconds(Backoff.fibonacci(SECOND, HOUR), 5)).containsExactly(1L, 1L, 2L, 3L, 5L);
    }

    @Test
    void fixedNeverChanges() {
        assertThat(seconds(Backoff.fixed(Duration.ofSeconds(3)), 3)).containsExactly(3L, 3L, 3L);
    }

    @Test
    void everyBackoffStaysCappedAndPositiveAfterThousandsOfRetries() {
        Backoff[] backoffs = {
            Backoff.exponential(SECOND, 2.0, Duration.ofSeconds(30)),
            Backoff.exponential(SECOND, 100.0, Duration.ofSeconds(30), 0.5),
            Backoff.linear(SECOND, SECOND, Duration.ofSeconds(30)),
            Backoff.fibonacci(SECOND, Duration.ofSeconds(30)),
            Backoff.decorrelatedJitter(SECOND, Duration.ofSeconds(30)),
            Backoff.exponential(SECOND, 2.0, Duration.ofNanos(Long.MAX_VALUE)),
        };
        for (Backoff backoff : backoffs) {
            long previous = 0;
            Random random = new Random(1);
            for (int retry = 1; retry <= 5_000; retry++) {
                previous = backoff.delayNanos(retry, previous, random);
                assertThat(previous).as("%s retry %d", backoff, retry).isPositive();
            }
            assertThat(previous).as(backoff.toString()).isLessThanOrEqualTo(Math.max(Duration.ofSeconds(30).toNanos(),
                    backoff instanceof Backoffs.Exponential e ? e.max() : 0));
        }
        assertThat(Backoff.exponential(SECOND, 2.0, Duration.ofNanos(Long.MAX_VALUE)).delayNanos(100, 0, new Random()))
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void jitterStaysWithinItsBandAndIsReproducibleWithASeed() {
        Backoff backoff = Backoff.exponential(Duration.ofSeconds(4), 2.0, HOUR, 0.25);
        List<Long> first = new ArrayList<>();
        List<Long> second = new ArrayList<>();
        Random a = new Random(42);
        Random b = new Random(42);
        for (int i = 0; i < 50; i++) {
            long delay = backoff.delayNanos(1, 0, a);
            assertThat(delay).isBetween(Duration.ofSeconds(3).toNanos(), Duration.ofSeconds(5).toNanos());
            first.add(delay);
            second.add(backoff.delayNanos(1, 0, b));
        }
        assertThat(first).isEqualTo(second).doesNotHaveDuplicates();
    }

    @Test
    void decorrelatedJitterGrowsFromTheBaseUpToThreeTimesThePrevious() {
        Backoff backoff = Backoff.decorrelatedJitter(SECOND, HOUR);
        Random random = new Random(3);
        long previous = 0;
        for (int retry = 1; retry < 20; retry++) {
            long delay = backoff.delayNanos(retry, previous, random);
            assertThat(delay).isBetween(SECOND.toNanos(), 3 * Math.max(previous, SECOND.toNanos()));
            previous = delay;
        }
    }

    @Test
    void adaptiveHalvesOnSuccessAndDoublesOnFailureWithinItsBounds() {
        Backoff adaptive = Backoff.adaptive(SECOND, Duration.ofMillis(100), Duration.ofSeconds(8));

        adaptive.onFailure();
        adaptive.onFailure();
        assertThat(currentDelay(adaptive)).isEqualTo(Duration.ofSeconds(4));
        adaptive.onSuccess();
        assertThat(currentDelay(adaptive)).isEqualTo(Duration.ofSeconds(2));
        for (int i = 0; i < 10; i++) {
            adaptive.onFailure();
        }
        assertThat(currentDelay(adaptive)).isEqualTo(Duration.ofSeconds(8));
        for (int i = 0; i < 20; i++) {
            adaptive.onSuccess();
        }
        assertThat(currentDelay(adaptive)).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void invalidParametersAreRefusedWithFieldAndRange() {
        assertThatThrownBy(() -> Backoff.exponential(SECOND, 0.5, HOUR)).isInstanceOf(ConfigException.class)
                .hasMessage("backoff: multiplier must be in [1.0, 100.0], was 0.5");
        assertThatThrownBy(() -> Backoff.exponential(SECOND, 2, HOUR, 1.5)).isInstanceOf(ConfigException.class)
                .hasMessage("backoff: jitter must be in [0.0, 1.0], was 1.5");
        assertThatThrownBy(() -> Backoff.fixed(Duration.ofSeconds(-1))).isInstanceOf(ConfigException.class)
                .hasMessage("backoff: delay must be a duration >= 0, was PT-1S");
        assertThatThrownBy(() -> Backoff.adaptive(SECOND, 1.5, 2.0, SECOND, HOUR)).isInstanceOf(ConfigException.class)
                .hasMessage("adaptive backoff: successReduction must be in (0.0, 1.0], was 1.5");
    }

    /** An adaptive backoff's delay ignores the retry number: it is the delay the next retry would use. */
    private static Duration currentDelay(Backoff adaptive) {
        return Duration.ofNanos(adaptive.delayNanos(1, 0, new Random(1)));
    }
}
