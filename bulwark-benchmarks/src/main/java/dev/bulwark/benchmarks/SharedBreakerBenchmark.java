package dev.bulwark.benchmarks;

import dev.bulwark.CheckedSupplier;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitOpenException;
import dev.bulwark.redis.RedisEndpoint;
import dev.bulwark.redis.SharedBreakerConfig;
import dev.bulwark.redis.SharedCircuitBreakers;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The breaker's hot path local-only ({@code _local}) against the same breaker attached to
 * {@link SharedCircuitBreakers} on a real redis-server started here ({@code _shared}): closed (every call recorded,
 * and the counts pushed to Redis every sync interval in the background) and open (rejection, the OPEN verdict shared).
 * Each pair runs as one JMH group, the local and the shared breaker on two threads at the same time, so both see the
 * same machine load: the ratio stays meaningful on a busy machine where two runs one after the other would not. The
 * goal is a ratio within 1.2: sharing must add nothing to a call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SharedBreakerBenchmark {

    private final String value = "payload";
    private final CheckedSupplier<String> call = () -> value;

    private LocalRedis redis;
    private SharedCircuitBreakers shared;
    private CircuitBreaker closedLocal;
    private CircuitBreaker closedShared;
    private CircuitBreaker openLocal;
    private CircuitBreaker openShared;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        redis = LocalRedis.start();
        shared = SharedCircuitBreakers.connect(RedisEndpoint.of(redis.url),
                SharedBreakerConfig.builder().keyPrefix("bench").build());
        closedLocal = CircuitBreaker.builder("closed-local").countWindow(100).build();
        closedShared = CircuitBreaker.builder("closed-shared").countWindow(100).build();
        openLocal = open("open-local");
        openShared = open("open-shared");
        shared.attach(closedShared);
        shared.attach(openShared);
    }

    private static CircuitBreaker open(String name) {
        CircuitBreaker breaker = CircuitBreaker.builder(name).recoveryTimeout(Duration.ofHours(1))
                .maxRecoveryTimeout(Duration.ofHours(1)).build();
        breaker.trip();
        return breaker;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        shared.close();
        redis.close();
    }

    @Benchmark
    @Group("closed")
    @GroupThreads(1)
    public String closed_local() throws Exception {
        return closedLocal.execute(call);
    }

    @Benchmark
    @Group("closed")
    @GroupThreads(1)
    public String closed_shared() throws Exception {
        return closedShared.execute(call);
    }

    @Benchmark
    @Group("open")
    @GroupThreads(1)
    public boolean open_local() {
        return openLocal.tryAcquirePermission();
    }

    @Benchmark
    @Group("open")
    @GroupThreads(1)
    public boolean open_shared() {
        return openShared.tryAcquirePermission();
    }

    /** Keeps the rejection type referenced for readers comparing with {@link CircuitBreakerBenchmark}. */
    static boolean isRejection(Exception e) {
        return e instanceof CircuitOpenException;
    }
}
