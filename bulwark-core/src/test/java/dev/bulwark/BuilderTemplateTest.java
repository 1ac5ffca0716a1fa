package dev.bulwark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.bulkhead.BulkheadConfig;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitBreakerConfig;
import dev.bulwark.hedge.Hedge;
import dev.bulwark.hedge.HedgeConfig;
import dev.bulwark.retry.Retry;
import dev.bulwark.retry.RetryConfig;
import dev.bulwark.time.ManualClock;
import dev.bulwark.timeout.Timeout;
import dev.bulwark.timeout.TimeoutConfig;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every component follows one template: builder, validated config record, toBuilder, each setting once. */
class BuilderTemplateTest {
    private final ManualClock clock = new ManualClock();
    private final ExecutorService own = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        own.shutdownNow();
    }

    private static void failsAsGivenTwice(ThrowingCall call, String component, String setting) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.field()).isEqualTo(setting);
            assertThat(e.value()).isEqualTo("given twice");
            assertThat(e).hasMessageStartingWith(component + ": " + setting);
        });
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void aSettingGivenTwiceFailsNamingIt() {
        failsAsGivenTwice(() -> Timeout.builder("t", Duration.ofSeconds(1)).timeout(Duration.ofSeconds(2)),
                "timeout 't'", "timeout");
        failsAsGivenTwice(() -> Timeout.builder("t").executor(own).executor(own), "timeout 't'", "executor");
        failsAsGivenTwice(() -> Hedge.builder("h", Duration.ofMillis(5)).maxHedges(1).maxHedges(2),
                "hedge 'h'", "maxHedges");
        failsAsGivenTwice(() -> Bulkhead.builder("b", 3).maxConcurrentCalls(4), "bulkhead 'b'", "maxConcurrentCalls");
        failsAsGivenTwice(() -> Retry.builder("r").maxRetries(1).maxRetries(2), "retry 'r'", "maxRetries");
        failsAsGivenTwice(() -> Retry.builder("r").clock(clock).clock(clock), "retry 'r'", "clock");
        failsAsGivenTwice(() -> dev.bulwark.bulkhead.AdaptiveLimiter.builder("a").maxLimit(10).maxLimit(20),
                "adaptive limiter 'a'", "maxLimit");
        failsAsGivenTwice(() -> dev.bulwark.chaos.Chaos.builder("x").seed(1).seed(2), "chaos 'x'", "seed");
        failsAsGivenTwice(() -> dev.bulwark.fanout.FanOut.<String, String>builder("f")
                .timeout(Duration.ofSeconds(1)).timeout(Duration.ofSeconds(2)), "fan-out 'f'", "timeout");
        failsAsGivenTwice(() -> dev.bulwark.ratelimit.RateLimiter.builder("l", 5).burst(1).burst(2),
                "rate limiter 'l'", "burst");
        failsAsGivenTwice(() -> CircuitBreaker.builder("c").successThreshold(2).successThreshold(3),
                "circuit 'c'", "successThreshold");
        failsAsGivenTwice(() -> CircuitBreaker.builder("c").countWindow(10).timeWindow(10), "circuit 'c'",
                "windowType");
    }

    @Test
    void aCircuitBreakerConfigRoundTripsThroughToBuilder() {
        CircuitBreakerConfig config = CircuitBreaker.builder("c").timeWindow(30).failureCountThreshold(4)
                .successThreshold(2).trackLatency(true).clockAndScheduler(clock).buildConfig();

        assertThat(config.toBuilder().buildConfig()).isEqualTo(config);
        assertThat(config.failureCountMinimumCalls()).as("defaults to the failure count").isEqualTo(4);
        CircuitBreakerConfig changed = config.toBuilder().successThreshold(5).buildConfig();
        assertThat(changed.successThreshold()).isEqualTo(5);
        assertThat(changed.windowSize()).isEqualTo(30);
        assertThat(CircuitBreaker.of(config).config()).isEqualTo(config);
        assertThat(CircuitBreaker.builder("t").windowType(CircuitBreakerConfig.WindowType.TIME_BASED).buildConfig().windowSize())
                .as("a time window defaults to 60 seconds").isEqualTo(60);
    }

    @Test
    void toBuilderRoundTripsToAnEqualConfigAndAllowsOneOverride() {
        TimeoutConfig timeout = Timeout.builder("t", Duration.ofSeconds(1)).executor(own)
                .waitForInterruptedWork(Duration.ofMillis(50)).clockAndScheduler(clock).buildConfig();
        assertThat(timeout.toBuilder().buildConfig()).isEqualTo(timeout);
        assertThat(timeout.toBuilder().timeout(Duration.ofSeconds(2)).buildConfig())
                .isEqualTo(new TimeoutConfig("t", Duration.ofSeconds(2), own, Duration.ofMillis(50), false, clock, clock));
        failsAsGivenTwice(() -> timeout.toBuilder().timeout(Duration.ofSeconds(2)).timeout(Duration.ofSeconds(3)),
                "timeout 't'", "timeout");
        assertThat(Timeout.of(timeout).config()).isEqualTo(timeout);

        HedgeConfig hedge = Hedge.builder("h", Duration.ofMillis(5)).delayPercentile(0.9, 10).maxHedges(2)
                .clockAndScheduler(clock).buildConfig();
        assertThat(hedge.toBuilder().buildConfig()).isEqualTo(hedge);
        assertThat(hedge.toBuilder().maxHedges(3).buildConfig().maxHedges()).isEqualTo(3);
        assertThat(Hedge.of(hedge).config()).isEqualTo(hedge);

        BulkheadConfig bulkhead = Bulkhead.builder("b", 3).maxWait(Duration.ofMillis(10)).clockAndScheduler(clock)
                .buildConfig();
        assertThat(bulkhead.toBuilder().buildConfig()).isEqualTo(bulkhead);
        assertThat(bulkhead.toBuilder().maxConcurrentCalls(7).build().maxConcurrentCalls()).isEqualTo(7);

        RetryConfig retry = Retry.builder("r").maxRetries(2).clockAndScheduler(clock).buildConfig();
        assertThat(retry.toBuilder().buildConfig()).isEqualTo(retry);
        assertThat(retry.toBuilder().clock(clock).maxRetries(5).buildConfig().maxRetries()).isEqualTo(5);
    }

    @Test
    void adaptiveLimiterAndChaosFollowTheTemplate() {
        dev.bulwark.bulkhead.AdaptiveLimiterConfig limiter = dev.bulwark.bulkhead.AdaptiveLimiter.builder("a")
                .initialLimit(5).minLimit(2).maxLimit(9).maxWait(Duration.ofMillis(3)).clockAndScheduler(clock)
                .buildConfig();
        assertThat(limiter.toBuilder().buildConfig()).isEqualTo(limiter);
        assertThat(limiter.toBuilder().maxLimit(12).buildConfig().maxLimit()).isEqualTo(12);
        failsAsGivenTwice(() -> limiter.toBuilder().minLimit(1).minLimit(3), "adaptive limiter 'a'", "minLimit");
        assertThat(dev.bulwark.bulkhead.AdaptiveLimiter.of(limiter).config()).isEqualTo(limiter);
        assertThat(dev.bulwark.bulkhead.AdaptiveLimiter.of(limiter).limit()).isEqualTo(5);
        assertThatThrownBy(() -> limiter.toBuilder().initialLimit(10).buildConfig())
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.field()).isEqualTo("initialLimit");
                    assertThat(e).hasMessage("adaptive limiter 'a': initialLimit must be in [2, 9], was 10");
                });

        java.util.function.Supplier<Exception> boom = () -> new IllegalStateException("boom");
        dev.bulwark.chaos.ChaosConfig chaos = dev.bulwark.chaos.Chaos.builder("x").latency(0.5, Duration.ofMillis(5))
                .exception(0.25, boom).seed(7).enabled(false).clockAndScheduler(clock).buildConfig();
        assertThat(chaos.toBuilder().buildConfig()).isEqualTo(chaos);
        assertThat(chaos.toBuilder().seed(8).buildConfig().seed()).isEqualTo(8);
        failsAsGivenTwice(() -> chaos.toBuilder().enabled(true).enabled(false), "chaos 'x'", "enabled");
        assertThat(dev.bulwark.chaos.Chaos.of(chaos).config()).isEqualTo(chaos);
        assertThat(dev.bulwark.chaos.Chaos.of(chaos).isEnabled()).isFalse();
        assertThatThrownBy(() -> chaos.toBuilder().latency(1.5, Duration.ZERO).buildConfig())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e)
                        .hasMessage("chaos 'x': latencyProbability must be in [0.0, 1.0], was 1.5"));
        assertThatThrownBy(() -> new dev.bulwark.chaos.ChaosConfig("x", 0, Duration.ZERO, 0.5, null, 0, null, 1, true,
                clock, clock)).isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.field()).isEqualTo("exception"));
    }

    @Test
    void aRequiredSettingLeftOutFailsAtBuildNamingIt() {
        assertThatThrownBy(() -> Timeout.builder("t").build()).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.field()).isEqualTo("timeout"));
        assertThatThrownBy(() -> Hedge.builder("h").build()).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.field()).isEqualTo("delay"));
        assertThatThrownBy(() -> Bulkhead.builder("b").build()).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.field()).isEqualTo("maxConcurrentCalls"));
    }

    @Test
    void syncTimeoutAndHedgeWithoutAnExecutorGetTheSharedDaemonPoolAtBuild() throws Exception {
        Timeout timeout = Timeout.builder("t", Duration.ofSeconds(1)).clockAndScheduler(clock).build();
        Hedge hedge = Hedge.builder("h", Duration.ofSeconds(1)).clockAndScheduler(clock).build();

        assertThat(timeout.config().executor()).isSameAs(hedge.config().executor());
        assertThat(hedge.execute(() -> Thread.currentThread().isDaemon())).isTrue();
        assertThat(timeout.execute(() -> Thread.currentThread().getName())).startsWith("bulwark-sync-");
        assertThatThrownBy(() -> timeout.config().executor().shutdown())
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
