package dev.bulwark.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.ExecutionContext;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.Registry;
import dev.bulwark.Pipeline;
import dev.bulwark.fallback.Fallback;
import dev.bulwark.fallback.LoadShedder;
import dev.bulwark.fallback.LoadShedder.Priority;
import dev.bulwark.hedge.Hedge;
import dev.bulwark.retry.Retry;
import dev.bulwark.time.ManualClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BulwarkMetricsTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void circuitBreakersAppearAsOneLabelledFamilyPerMetric() throws Exception {
        Registry registry = new Registry();
        CircuitBreaker payments = registry.register(CircuitBreaker.builder("payments").clock(clock).build());
        registry.register(CircuitBreaker.builder("search").clock(clock).build());
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new BulwarkMetrics(registry).bindTo(prometheus);

        for (int i = 0; i < 5; i++) {
            try {
                payments.execute(() -> {
                    throw new IOException("down");
                });
            } catch (IOException expected) {
                // counted
            }
        }
        String scrape = prometheus.scrape();

        assertThat(scrape).contains("bulwark_circuit_breaker_state{name=\"payments\"} 1.0");
        assertThat(scrape).contains("bulwark_circuit_breaker_state{name=\"search\"} 0.0");
        assertThat(scrape).contains("bulwark_circuit_breaker_failures_total{name=\"payments\"} 5.0");
        assertThat(scrape).contains("bulwark_circuit_breaker_last_opened_timestamp_seconds{name=\"payments\"} " + (clock.wallMillis() / 1000.0));
        assertThat(scrape).contains("bulwark_circuit_breaker_health_score{name=\"search\"} 1.0");
    }

    @Test
    void hedgesCountBackupsAndWinsAndShowTheirDelayInSeconds() throws Exception {
        Registry registry = new Registry();
        Hedge hedge = registry.register(Hedge.builder("search", Duration.ofMillis(200)).clockAndScheduler(clock).build());
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new BulwarkMetrics(registry).bindTo(prometheus);
        CompletableFuture<String> slowFirst = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();

        CompletableFuture<String> answer = hedge.executeAsync(() -> attempts.incrementAndGet() == 1 ? slowFirst
                : CompletableFuture.completedFuture("backup")).toCompletableFuture();
        clock.advance(Duration.ofMillis(200));
        String scrape = prometheus.scrape();

        assertThat(answer).isCompletedWithValue("backup");
        assertThat(scrape).contains("bulwark_hedge_backups_total{name=\"search\"} 1.0");
        assertThat(scrape).contains("bulwark_hedge_wins_total{name=\"search\"} 1.0");
        assertThat(scrape).contains("bulwark_hedge_delay_seconds{name=\"search\"} 0.2");
    }

    @Test
    void breakerLatencyIsInSeconds() throws Exception {
        Registry registry = new Registry();
        CircuitBreaker timed = registry.register(CircuitBreaker.builder("timed").clock(clock).trackLatency(true).build());
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new BulwarkMetrics(registry).bindTo(prometheus);

        timed.execute(() -> {
            clock.advance(Duration.ofMillis(250));
            return "ok";
        });

        assertThat(prometheus.scrape()).contains("bulwark_circuit_breaker_latency_seconds{name=\"timed\"} 0.25")
                .doesNotContain("_ms");
    }

    @Test
    void componentsRegisteredLaterAreBoundAndRemovedOnesUnbound() {
        Registry registry = new Registry();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new BulwarkMetrics(registry).bindTo(prometheus);

        registry.register(Retry.builder("inventory").clockAndScheduler(clock).build());
        assertThat(prometheus.scrape()).contains("bulwark_retry_calls_total{name=\"inventory\"} 0.0");

        registry.remove(Retry.class, "inventory");
        assertThat(prometheus.scrape()).doesNotContain("bulwark_retry_calls_total{name=\"inventory\"}");
    }

    @Test
    void fallbackOutcomesAndShedCallsAreCountedByLabel() throws Exception {
        Registry registry = new Registry();
        LoadShedder shedder = registry.register(LoadShedder.of("api", 1));
        ExecutionContext.Key<String> provider = ExecutionContext.Key.of("provider", String.class);
        Fallback<String> fallback = registry.register(Fallback.<String>builder("llm").switchProvider(provider, "backup").build());
        Pipeline pipeline = Pipeline.of(fallback, shedder);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new BulwarkMetrics(registry).bindTo(prometheus);

        pipeline.execute(ExecutionContext.detached(), ctx -> {
            if (ctx.get(provider).isEmpty()) {
                throw new IOException("primary down");
            }
            return "backup answer";
        });
        shedder.tryAcquire(Priority.CRITICAL);
        fallback.executeForResult(ExecutionContext.detached().with(Priority.KEY, Priority.LOW),
                ctx -> shedder.execute(ctx, c -> "never"));
        shedder.release();
        String scrape = prometheus.scrape();

        assertThat(scrape).contains("bulwark_fallback_outcomes_total{name=\"llm\",outcome=\"switched\"} 1.0");
        assertThat(scrape).contains("bulwark_fallback_outcomes_total{name=\"llm\",outcome=\"served\"} 0.0");
        assertThat(scrape).contains("bulwark_fallback_outcomes_total{name=\"llm\",outcome=\"shed\"} 1.0");
        assertThat(scrape).as("the primary and the alternative were both refused")
                .contains("bulwark_load_shedder_shed_total{name=\"api\",priority=\"low\"} 2.0");
        assertThat(scrape).contains("bulwark_load_shedder_in_flight{name=\"api\"} 0.0");
    }
}
