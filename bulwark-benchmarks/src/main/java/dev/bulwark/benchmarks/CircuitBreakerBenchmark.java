package dev.bulwark.benchmarks;

import dev.bulwark.CheckedSupplier;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitOpenException;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same circuit-breaker operations in Bulwark, Resilience4j and Failsafe, on one shared instance per
 * library: closed (count- and time-based window), closed with latency tracking, and open (rejection).
 * Each library with its defaults except the window settings, which are made equal.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CircuitBreakerBenchmark {

    private final String value = "payload";
    private final CheckedSupplier<String> bulwarkCall = () -> value;
    private final Supplier<String> plainCall = () -> value;
    private final dev.bulwark.time.Clock clock = dev.bulwark.time.Clock.system();

    private CircuitBreaker bulwarkCount;
    private CircuitBreaker bulwarkTime;
    private CircuitBreaker bulwarkTimed;
    private CircuitBreaker bulwarkOpen;
    private io.github.resilience4j.circuitbreaker.CircuitBreaker r4jCount;
    private io.github.resilience4j.circuitbreaker.CircuitBreaker r4jTime;
    private io.github.resilience4j.circuitbreaker.CircuitBreaker r4jOpen;
    private FailsafeExecutor<String> failsafeCount;
    private FailsafeExecutor<String> failsafeTime;
    private FailsafeExecutor<String> failsafeOpen;

    @Setup
    public void setUp() {
        bulwarkCount = CircuitBreaker.builder("count").countWindow(100).build();
        bulwarkTime = CircuitBreaker.builder("time").timeWindow(60).build();
        bulwarkTimed = CircuitBreaker.builder("timed").countWindow(100).slowCallDuration(Duration.ofSeconds(60))
                .trackLatency(true).build();
        bulwarkOpen = CircuitBreaker.builder("open").recoveryTimeout(Duration.ofHours(1)).maxRecoveryTimeout(Duration.ofHours(1)).build();
        bulwarkOpen.trip();

        r4jCount = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("count",
                io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                        .slidingWindow(100, 10, SlidingWindowType.COUNT_BASED).build());
        r4jTime = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("time",
                io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                        .slidingWindow(60, 10, SlidingWindowType.TIME_BASED).build());
        r4jOpen = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("open",
                io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                        .waitDurationInOpenState(Duration.ofHours(1)).build());
        r4jOpen.transitionToOpenState();

        failsafeCount = Failsafe.with(dev.failsafe.CircuitBreaker.<String>builder()
                .withFailureThreshold(50, 100).build());
        failsafeTime = Failsafe.with(dev.failsafe.CircuitBreaker.<String>builder()
                .withFailureRateThreshold(50, 10, Duration.ofSeconds(60)).build());
        dev.failsafe.CircuitBreaker<String> open = dev.failsafe.CircuitBreaker.<String>builder()
                .withDelay(Duration.ofHours(1)).build();
        open.open();
        failsafeOpen = Failsafe.with(open);
    }

    @Benchmark
    public String direct() {
        return plainCall.get();
    }

    /** The floor of any design that times each call: two clock reads. */
    @Benchmark
    public long twoClockReads() {
        return -clock.nanoTime() + clock.nanoTime();
    }

    @Benchmark
    public String closedCount_bulwark() throws Exception {
        return bulwarkCount.execute(bulwarkCall);
    }

    @Benchmark
    public String closedCount_resilience4j() {
        return r4jCount.executeSupplier(plainCall);
    }

    @Benchmark
    public String closedCount_failsafe() {
        return failsafeCount.get(plainCall::get);
    }

    @Benchmark
    public String closedTime_bulwark() throws Exception {
        return bulwarkTime.execute(bulwarkCall);
    }

    @Benchmark
    public String closedTime_resilience4j() {
        return r4jTime.executeSupplier(plainCall);
    }

    @Benchmark
    public String closedTime_failsafe() {
        return failsafeTime.get(plainCall::get);
    }

    /** Slow-call detection and latency tracking on: Bulwark reads the clock twice, as the anchors always do. */
    @Benchmark
    public String closedTimed_bulwark() throws Exception {
        return bulwarkTimed.execute(bulwarkCall);
    }

    /** The anchors time every call anyway: their timed path is their closed count-based path. */
    @Benchmark
    public String closedTimed_resilience4j() {
        return r4jCount.executeSupplier(plainCall);
    }

    @Benchmark
    public String closedTimed_failsafe() {
        return failsafeCount.get(plainCall::get);
    }

    @Benchmark
    public Object open_bulwark() {
        try {
            return bulwarkOpen.execute(bulwarkCall);
        } catch (CircuitOpenException rejected) {
            return rejected;
        } catch (Exception unexpected) {
            throw new IllegalStateException(unexpected);
        }
    }

    @Benchmark
    public Object open_resilience4j() {
        try {
            return r4jOpen.executeSupplier(plainCall);
        } catch (CallNotPermittedException rejected) {
            return rejected;
        }
    }

    @Benchmark
    public Object open_failsafe() {
        try {
            return failsafeOpen.get(plainCall::get);
        } catch (dev.failsafe.CircuitBreakerOpenException rejected) {
            return rejected;
        }
    }
}
