package dev.bulwark.benchmarks;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.Registry;
import dev.bulwark.micrometer.BulwarkMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How the metrics scrape grows with the registry: {@code breakers} circuit breakers bound to a Prometheus
 * registry through {@link BulwarkMetrics}, one text scrape per operation (what {@code /metrics} serves). The
 * hand-written row is the floor of Prometheus text rendering: the same number of meters (eight per breaker: three
 * function counters, five gauges, the same names and labels) over trivial values. The memory per breaker at the
 * same size is in {@link MemoryFootprint}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RegistryBenchmark {

    /** Breakers bound through {@link BulwarkMetrics}. */
    @State(Scope.Benchmark)
    public static class Breakers {
        @Param({"100", "10000"})
        public int breakers;

        PrometheusMeterRegistry prometheus;
        private BulwarkMetrics metrics;

        @Setup(Level.Trial)
        public void setUp() {
            Registry registry = new Registry();
            for (int i = 0; i < breakers; i++) {
                registry.register(CircuitBreaker.builder("breaker-" + i).build());
            }
            prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            metrics = new BulwarkMetrics(registry);
            metrics.bindTo(prometheus);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            metrics.close();
            prometheus.close();
        }
    }

    /** The same meters over plain fields: what rendering alone costs. */
    @State(Scope.Benchmark)
    public static class PlainMeters {
        @Param({"100", "10000"})
        public int breakers;

        PrometheusMeterRegistry prometheus;

        /** Trivial values for one "breaker". */
        static final class Figures {
            long calls = 7;
            long failures = 2;
            long rejected = 1;
            double ratio = 0.5;
        }

        @Setup(Level.Trial)
        public void setUp() {
            prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            for (int i = 0; i < breakers; i++) {
                Figures figures = new Figures();
                Tags tags = Tags.of("name", "breaker-" + i);
                gauge("bulwark_circuit_breaker_state", tags, figures, f -> 0);
                counter("bulwark_circuit_breaker_calls", tags, figures, f -> f.calls);
                counter("bulwark_circuit_breaker_failures", tags, figures, f -> f.failures);
                counter("bulwark_circuit_breaker_rejected", tags, figures, f -> f.rejected);
                gauge("bulwark_circuit_breaker_success_ratio", tags, figures, f -> f.ratio);
                gauge("bulwark_circuit_breaker_health_score", tags, figures, f -> f.ratio);
                gauge("bulwark_circuit_breaker_latency_seconds", tags, figures, f -> Double.NaN);
                gauge("bulwark_circuit_breaker_last_opened_timestamp_seconds", tags, figures, f -> 0);
            }
        }

        private void gauge(String name, Tags tags, Figures figures, java.util.function.ToDoubleFunction<Figures> value) {
            Gauge.builder(name, figures, value).description(name).tags(tags).strongReference(true).register(prometheus);
        }

        private void counter(String name, Tags tags, Figures figures, java.util.function.ToDoubleFunction<Figures> value) {
            FunctionCounter.builder(name, figures, value).description(name).tags(tags).register(prometheus);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            prometheus.close();
        }
    }

    /** One scrape of the whole registry. */
    @Benchmark
    public String scrape_bulwark(Breakers state) {
        return state.prometheus.scrape();
    }

    /** One scrape of as many plain meters. */
    @Benchmark
    public String scrape_handwritten(PlainMeters state) {
        return state.prometheus.scrape();
    }
}
