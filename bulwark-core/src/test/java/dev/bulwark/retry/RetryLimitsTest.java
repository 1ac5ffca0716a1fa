package dev.bulwark.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code maxDuration}, unlimited retries bounded by it, and which condition wins. */
class RetryLimitsTest {

    private final ManualClock clock = new ManualClock();
    private final List<Retry.Event> events = new CopyOnWriteArrayList<>();

    private Retry retry(RetryConfig.Builder builder) {
        Retry retry = builder.clockAndScheduler(clock).build();
        retry.subscribe(events::add);
        return retry;
    }

    private static RetryConfig.Builder everySecond(Duration maxDuration) {
        return Retry.builder("r").maxRetries(RetryConfig.UNLIMITED).backoff(Backoff.fixed(Duration.ofSeconds(1)))
                .maxDuration(maxDuration);
    }

    private int attemptsUntilGivingUp(Retry retry, Duration eachAttemptTakes) {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> retry.execute(() -> {
            attempts.incrementAndGet();
            clock.advance(eachAttemptTakes);
            throw new IOException("down");
        })).isInstanceOf(IOException.class).hasMessage("down");
        return attempts.get();
    }

    @Test
    void aRetryStartsOnlyIfItsDelayEndsBeforeMaxDurationSinceTheFirstAttempt() {
        // attempts start at 0, 1, 2, 3 s; after the one at 3 s the next would start at 4 s >= 3.5 s
        Retry retry = retry(everySecond(Duration.ofMillis(3500)));
        assertThat(attemptsUntilGivingUp(retry, Duration.ZERO)).isEqualTo(4);
        assertThat(retry.stats().failedDeadline()).isEqualTo(1);
        assertThat(events).last().isInstanceOfSatisfying(Retry.Event.GaveUp.class,
                gaveUp -> assertThat(gaveUp.reason()).isEqualTo(Retry.Event.StopReason.DEADLINE));
    }

    @Test
    void aRetryThatWouldStartExactlyAtMaxDurationIsNotMade() {
        // attempts at 0, 1, 2 s; the next would start at exactly 3 s
        assertThat(attemptsUntilGivingUp(retry(everySecond(Duration.ofSeconds(3))), Duration.ZERO)).isEqualTo(3);
    }

    @Test
    void theTimeAttemptsTakeCountsTowardsMaxDuration() {
        // attempt 1 runs 0-2 s, retry at 3 s < 5 s; attempt 2 runs 3-5 s, the next would start at 6 s
        assertThat(attemptsUntilGivingUp(retry(everySecond(Duration.ofSeconds(5))), Duration.ofSeconds(2)))
                .isEqualTo(2);
    }

    @Test
    void maxRetriesStillStopsFirstWhenItIsSmaller() {
        Retry retry = retry(Retry.builder("r").maxRetries(1).backoff(Backoff.fixed(Duration.ofSeconds(1)))
                .maxDuration(Duration.ofMinutes(1)));
        assertThat(attemptsUntilGivingUp(retry, Duration.ZERO)).isEqualTo(2);
        assertThat(retry.stats().failedMaxRetries()).isEqualTo(1);
    }

    @Test
    void unlimitedRetriesGoPastAThousandUntilMaxDurationStopsThem() {
        // attempts at 0, 1, ..., 1999 s: 2000 attempts, more than the 1000 retries a count may allow
        assertThat(attemptsUntilGivingUp(retry(everySecond(Duration.ofMillis(1_999_500))), Duration.ZERO))
                .isEqualTo(2000);
    }

    @Test
    void aCountedMaxRetriesBeyondAThousandIsHonoured() {
        // MicroProfile's TCK uses maxRetries = 10000 and 99999; a count of 10000 retries makes 10001 attempts
        Retry retry = retry(Retry.builder("r").maxRetries(10_000).backoff(Backoff.fixed(Duration.ofMillis(1))));
        assertThat(attemptsUntilGivingUp(retry, Duration.ZERO)).isEqualTo(10_001);
        assertThat(retry.stats().failedMaxRetries()).isEqualTo(1);
        assertThat(events).last().isInstanceOfSatisfying(Retry.Event.GaveUp.class,
                gaveUp -> assertThat(gaveUp.attempts()).isEqualTo(10_001));
    }

    @Test
    void theLargestCountedMaxRetriesIsAcceptedAndBoundedByMaxDuration() {
        Retry retry = retry(Retry.builder("r").maxRetries(RetryConfig.MAX_RETRIES)
                .backoff(Backoff.fixed(Duration.ofSeconds(1))).maxDuration(Duration.ofMillis(2500)));
        assertThat(attemptsUntilGivingUp(retry, Duration.ZERO)).isEqualTo(3);
        assertThat(retry.stats().failedDeadline()).isEqualTo(1);
    }

    @Test
    void asyncRetriesFollowTheSameMaxDurationRule() {
        Retry retry = retry(everySecond(Duration.ofMillis(2500)));
        AtomicInteger attempts = new AtomicInteger();

        CompletionStage<String> stage = retry.executeAsync(() -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException("down"));
        });
        clock.advance(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(stage.toCompletableFuture()).as("attempts at 0, 1, 2 s; none at 3 s").isCompletedExceptionally();
        assertThat(attempts).hasValue(3);
        assertThat(retry.stats().failedDeadline()).isEqualTo(1);
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void unlimitedRetriesWithoutMaxDurationFailAtBuildNamingBoth() {
        assertThatThrownBy(() -> Retry.builder("r").maxRetries(RetryConfig.UNLIMITED).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("maxRetries")
                .hasMessageContaining("maxDuration").hasMessageContaining("was -1");
    }

    @Test
    void maxDurationIsNoneByDefaultMustBePositiveAndSurvivesToBuilder() {
        assertThat(Retry.builder("r").buildConfig().maxDuration()).isNull();
        assertThatThrownBy(() -> Retry.builder("r").maxDuration(Duration.ZERO).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("maxDuration");
        RetryConfig config = everySecond(Duration.ofSeconds(9)).buildConfig();
        assertThat(config.toBuilder().buildConfig()).isEqualTo(config);
    }

    @Test
    void anExceptionMatchedByBothAbortOnAndRetryOnIsNotRetried() {
        Retry retry = retry(Retry.builder("r").retryOn(IOException.class::isInstance)
                .abortOn(IOException.class::isInstance).backoff(Backoff.fixed(Duration.ZERO)));

        assertThat(attemptsUntilGivingUp(retry, Duration.ZERO)).isEqualTo(1);
        assertThat(retry.stats().failedNotRetryable()).isEqualTo(1);
        assertThat(events).singleElement().isInstanceOfSatisfying(Retry.Event.GaveUp.class,
                gaveUp -> assertThat(gaveUp.reason()).isEqualTo(Retry.Event.StopReason.NOT_RETRYABLE));
    }
}
