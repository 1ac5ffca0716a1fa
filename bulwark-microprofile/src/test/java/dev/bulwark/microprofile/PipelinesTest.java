package dev.bulwark.microprofile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitOpenException;
import dev.bulwark.microprofile.FtSpecs.CircuitBreakerSpec;
import dev.bulwark.microprofile.FtSpecs.RetrySpec;
import dev.bulwark.retry.Retry;
import dev.bulwark.retry.RetryConfig;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PipelinesTest {

    private final ManualClock clock = new ManualClock();

    private CircuitBreaker breaker(int volume, double ratio, int successes) {
        return Pipelines.breaker("b", new CircuitBreakerSpec(List.of(Throwable.class), List.of(), Duration.ofSeconds(5),
                volume, ratio, successes), clock);
    }

    private static Object fail(CircuitBreaker breaker) {
        try {
            return breaker.execute(() -> {
                throw new IOException("down");
            });
        } catch (Exception e) {
            return e;
        }
    }

    private static Object succeed(CircuitBreaker breaker) {
        try {
            return breaker.execute(() -> "ok");
        } catch (Exception e) {
            return e;
        }
    }

    @Test
    void opensWhenTheSuccessFillingTheWindowLeavesTheRatioReached() {
        CircuitBreaker breaker = breaker(4, 0.5, 1);
        fail(breaker);
        fail(breaker);
        succeed(breaker);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        succeed(breaker);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void ratioWithBinaryNoiseStillOpensAtItsExactShare() {
        CircuitBreaker breaker = breaker(100, 0.07, 1);
        for (int i = 0; i < 93; i++) {
            succeed(breaker);
        }
        for (int i = 0; i < 6; i++) {
            fail(breaker);
        }
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        fail(breaker);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void openForDelayThenOneProbeClosesWithSuccessThresholdOne() {
        CircuitBreaker breaker = breaker(2, 1.0, 1);
        fail(breaker);
        fail(breaker);
        assertThat(succeed(breaker)).isInstanceOf(CircuitOpenException.class);
        clock.advance(Duration.ofSeconds(5));
        assertThat(succeed(breaker)).isEqualTo("ok");
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void failuresOutsideFailOnCountAsSuccesses() {
        CircuitBreaker breaker = Pipelines.breaker("b", new CircuitBreakerSpec(List.of(IllegalStateException.class),
                List.of(), Duration.ofSeconds(5), 2, 0.5, 1), clock);
        fail(breaker);
        fail(breaker);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void retryStopsOnAbortOnEvenWhenRetryOnMatches() {
        Retry retry = Pipelines.retry(Retry.builder("r").clockAndScheduler(clock), new RetrySpec(3, Duration.ZERO,
                Duration.ofMinutes(3), Duration.ZERO, List.of(Exception.class), List.of(IllegalStateException.class)));
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.execute(() -> {
            calls.incrementAndGet();
            throw new IllegalStateException("abort");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(calls).hasValue(1);
        assertThatThrownBy(() -> retry.execute(() -> {
            calls.incrementAndGet();
            throw new IOException("retry");
        })).isInstanceOf(IOException.class);
        assertThat(calls).hasValue(1 + 4);
    }

    @Test
    void retryCountsAsManyRetriesAsTheAnnotationSaysEvenAboveAThousand() {
        Retry retry = Pipelines.retry(Retry.builder("r").clockAndScheduler(clock), new RetrySpec(5000, Duration.ZERO,
                Duration.ofMinutes(3), Duration.ZERO, List.of(Exception.class), List.of()));
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.execute(() -> {
            calls.incrementAndGet();
            throw new IOException("down");
        })).isInstanceOf(IOException.class);
        assertThat(calls).hasValue(1 + 5000);
    }

    @Test
    void theLargestAnnotationCountIsAccepted() {
        Retry retry = Pipelines.retry(Retry.builder("r").clockAndScheduler(clock), new RetrySpec(Integer.MAX_VALUE,
                Duration.ZERO, Duration.ofMinutes(3), Duration.ZERO, List.of(Exception.class), List.of()));
        assertThat(retry.config().maxRetries()).isEqualTo(RetryConfig.MAX_RETRIES);
    }
}
