package dev.bulwark.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Limits driven by simulated latency under a manual clock. */
class AdaptiveLimiterTest {

    private final ManualClock clock = new ManualClock();

    /** Starts {@code count} calls at once, lets {@code latency} pass, completes them (or fails them as drops). */
    private void wave(AdaptiveLimiter limiter, int count, Duration latency, boolean drop) {
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            CompletableFuture<String> call = new CompletableFuture<>();
            limiter.executeAsync(() -> call);
            calls.add(call);
        }
        clock.advance(latency);
        for (CompletableFuture<String> call : calls) {
            if (drop) {
                call.completeExceptionally(new TimeoutException("dropped"));
            } else {
                call.complete("ok");
            }
        }
    }

    @Test
    void aimdGrowsOneAtATimeUnderLoadAndBacksOffOnDrops() {
        AdaptiveLimiter limiter = AdaptiveLimiter.builder("api").initialLimit(10).clockAndScheduler(clock).build();

        wave(limiter, 10, Duration.ofMillis(20), false);
        assertThat(limiter.limit()).as("each fully-loaded success adds one").isGreaterThan(10);
        int grown = limiter.limit();

        wave(limiter, 5, Duration.ofMillis(20), true);
        assertThat(limiter.limit()).isLessThan(grown);
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void aimdTreatsCallsSlowerThanTheDropLatencyAsDrops() {
        AdaptiveLimiter limiter = AdaptiveLimiter.builder("api").initialLimit(20)
                .algorithm(AdaptiveLimiter.Algorithm.aimd(0.5, Duration.ofSeconds(1))).clockAndScheduler(clock).build();

        wave(limiter, 1, Duration.ofSeconds(2), false);

        assertThat(limiter.limit()).isEqualTo(10);
    }

    @Test
    void gradientGrowsWhileLatencyHoldsAndShrinksWhenItRises() throws Exception {
        AdaptiveLimiter limiter = AdaptiveLimiter.builder("api").initialLimit(20).maxLimit(500)
                .algorithm(AdaptiveLimiter.Algorithm.gradient(1.5, 0.2)).clockAndScheduler(clock).build();
        for (int i = 0; i < 30; i++) {
            limiter.execute(() -> {
                clock.advance(Duration.ofMillis(10));
                return "fast";
            });
        }
        int grown = limiter.limit();
        assertThat(grown).isGreaterThan(20);

        for (int i = 0; i < 30; i++) {
            limiter.execute(() -> {
                clock.advance(Duration.ofMillis(100));
                return "slow";
            });
        }

        assertThat(limiter.limit()).isLessThan(grown / 2);
    }

    @Test
    void limitersBuiltFromOneGradientConfigLearnApart() throws Exception {
        AdaptiveLimiterConfig config = AdaptiveLimiter.builder("api").initialLimit(20).maxLimit(500)
                .algorithm(AdaptiveLimiter.Algorithm.gradient(1.5, 0.2)).clockAndScheduler(clock).buildConfig();
        AdaptiveLimiter first = AdaptiveLimiter.of(config);
        for (int i = 0; i < 30; i++) {
            first.execute(() -> {
                clock.advance(Duration.ofMillis(10));
                return "fast";
            });
        }
        AdaptiveLimiter second = AdaptiveLimiter.of(config);
        second.execute(() -> {
            clock.advance(Duration.ofMillis(10));
            return "fast";
        });

        assertThat(first.limit()).isGreaterThan(25);
        assertThat(second.limit()).as("the second limiter starts from the config, not from the first one's estimate")
                .isLessThanOrEqualTo(25);
    }

    @Test
    void theLimitStaysWithinItsBounds() {
        AdaptiveLimiter limiter = AdaptiveLimiter.builder("api").initialLimit(4).minLimit(2).maxLimit(6)
                .clockAndScheduler(clock).build();
        for (int i = 0; i < 10; i++) {
            wave(limiter, limiter.limit(), Duration.ofMillis(1), false);
        }
        assertThat(limiter.limit()).isEqualTo(6);
        for (int i = 0; i < 10; i++) {
            wave(limiter, 1, Duration.ofMillis(1), true);
        }
        assertThat(limiter.limit()).isEqualTo(2);
    }

    @Test
    void callsOverTheLimitAreRefused() {
        AdaptiveLimiter limiter = AdaptiveLimiter.builder("api").initialLimit(1).minLimit(1).clockAndScheduler(clock).build();
        limiter.executeAsync(CompletableFuture::new);

        assertThatThrownBy(() -> limiter.execute(() -> "x")).isInstanceOf(BulkheadFullException.class)
                .hasMessage("adaptive limiter 'api' is full: 1 of 1 calls in flight");
    }

    @Test
    void invalidSettingsFailAtBuild() {
        assertThatThrownBy(() -> AdaptiveLimiter.builder("api").initialLimit(500).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("adaptive limiter 'api': initialLimit must be in [1, 200], was 500");
        assertThatThrownBy(() -> AdaptiveLimiter.Algorithm.gradient(0.5, 0.2)).isInstanceOf(ConfigException.class)
                .hasMessage("gradient: tolerance must be in [1.0, 10.0], was 0.5");
    }
}
