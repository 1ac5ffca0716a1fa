package dev.bulwark.benchmarks;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.Registry;
import dev.bulwark.micrometer.BulwarkMetrics;
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
 * registry through {@link BulwarkMetrics}, one text scrape per operation (what {@code /metrics} serves).
 * The memory per breaker at the same size is in {@link MemoryFootprint}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RegistryBenchmark {

    @Param({"100", "10000"})
    public int breakers;

    private PrometheusMeterRegistry prometheus;
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

    /** One scrape of the whole registry. */
    @Benchmark
    public String scrape() {
        return prometheus.scrape();
    }
}
