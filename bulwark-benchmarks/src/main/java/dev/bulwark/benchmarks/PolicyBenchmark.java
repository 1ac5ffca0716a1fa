package dev.bulwark.benchmarks;

import dev.bulwark.CheckedSupplier;
import dev.bulwark.Pipeline;
import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.ratelimit.RateLimiter;
import dev.bulwark.retry.Retry;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * The happy path of each per-call policy, and a composed pipeline (circuit breaker, retry, bulkhead),
 * in Bulwark, Resilience4j and Failsafe, one shared instance per library. Decorated suppliers are built
 * once in setup, as a careful user of each library would.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolicyBenchmark {

    private final String value = "payload";
    private final CheckedSupplier<String> bulwarkCall = () -> value;
    private final Supplier<String> plainCall = () -> value;

    private Retry bulwarkRetry;
    private Bulkhead bulwarkBulkhead;
    private RateLimiter bulwarkRateLimiter;
    private Pipeline bulwarkComposed;

    private Supplier<String> r4jRetry;
    private Supplier<String> r4jBulkhead;
    private Supplier<String> r4jRateLimiter;
    private Supplier<String> r4jComposed;

    private FailsafeExecutor<String> failsafeRetry;
    private FailsafeExecutor<String> failsafeBulkhead;
    private FailsafeExecutor<String> failsafeRateLimiter;
    private FailsafeExecutor<String> failsafeComposed;

    @Setup
    public void setUp() {
        bulwarkRetry = Retry.builder("retry").build();
        bulwarkBulkhead = Bulkhead.builder("bulkhead", 1_000).build();
        bulwarkRateLimiter = RateLimiter.builder("rate", 1e9).burst(1_000_000_000).build();
        bulwarkComposed = Pipeline.of(CircuitBreaker.builder("composed").build(), Retry.builder("composed").build(),
                Bulkhead.builder("composed", 1_000).build());

        r4jRetry = io.github.resilience4j.retry.Retry.decorateSupplier(
                io.github.resilience4j.retry.Retry.ofDefaults("retry"), plainCall);
        r4jBulkhead = io.github.resilience4j.bulkhead.Bulkhead.decorateSupplier(
                io.github.resilience4j.bulkhead.Bulkhead.of("bulkhead",
                        io.github.resilience4j.bulkhead.BulkheadConfig.custom().maxConcurrentCalls(1_000).build()),
                plainCall);
        r4jRateLimiter = io.github.resilience4j.ratelimiter.RateLimiter.decorateSupplier(
                io.github.resilience4j.ratelimiter.RateLimiter.of("rate",
                        io.github.resilience4j.ratelimiter.RateLimiterConfig.custom().limitForPeriod(1_000_000_000)
                                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build()),
                plainCall);
        r4jComposed = io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(
                io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("composed"),
                io.github.resilience4j.retry.Retry.decorateSupplier(io.github.resilience4j.retry.Retry.ofDefaults("composed"),
                        io.github.resilience4j.bulkhead.Bulkhead.decorateSupplier(
                                io.github.resilience4j.bulkhead.Bulkhead.of("composed",
                                        io.github.resilience4j.bulkhead.BulkheadConfig.custom().maxConcurrentCalls(1_000).build()),
                                plainCall)));

        failsafeRetry = Failsafe.with(RetryPolicy.<String>ofDefaults());
        failsafeBulkhead = Failsafe.with(dev.failsafe.Bulkhead.<String>of(1_000));
        failsafeRateLimiter = Failsafe.with(dev.failsafe.RateLimiter.<String>burstyBuilder(1_000_000_000, Duration.ofSeconds(1)).build());
        failsafeComposed = Failsafe.with(dev.failsafe.CircuitBreaker.<String>ofDefaults(), RetryPolicy.<String>ofDefaults(),
                dev.failsafe.Bulkhead.<String>of(1_000));
    }

    @Benchmark
    public String retry_bulwark() throws Exception {
        return bulwarkRetry.execute(bulwarkCall);
    }

    @Benchmark
    public String retry_resilience4j() {
        return r4jRetry.get();
    }

    @Benchmark
    public String retry_failsafe() {
        return failsafeRetry.get(plainCall::get);
    }

    @Benchmark
    public String bulkhead_bulwark() throws Exception {
        return bulwarkBulkhead.execute(bulwarkCall);
    }

    @Benchmark
    public String bulkhead_resilience4j() {
        return r4jBulkhead.get();
    }

    @Benchmark
    public String bulkhead_failsafe() {
        return failsafeBulkhead.get(plainCall::get);
    }

    /**
     * The floor of any bulkhead that keeps an exact count: one uncontended compare-and-set that takes a permit
     * if one is free (a take that may refuse needs an atomic read-modify-write or a full fence either way), around
     * the call. The permit is never returned, so this is below what any exact bulkhead can cost.
     */
    @Benchmark
    public String oneAtomicTake(OwnCounter counter) {
        AtomicLong taken = counter.taken;
        long now = taken.get();
        if (now == Long.MAX_VALUE || !taken.compareAndSet(now, now + 1)) {
            throw new IllegalStateException("no permit");
        }
        return plainCall.get();
    }

    /** A counter each benchmark thread has for itself, so the compare-and-set never meets another thread. */
    @State(Scope.Thread)
    public static class OwnCounter {
        final AtomicLong taken = new AtomicLong();
    }

    @Benchmark
    public String rateLimiter_bulwark() throws Exception {
        return bulwarkRateLimiter.execute(bulwarkCall);
    }

    @Benchmark
    public String rateLimiter_resilience4j() {
        return r4jRateLimiter.get();
    }

    @Benchmark
    public String rateLimiter_failsafe() {
        return failsafeRateLimiter.get(plainCall::get);
    }

    @Benchmark
    public String composed_bulwark() throws Exception {
        return bulwarkComposed.execute(bulwarkCall);
    }

    @Benchmark
    public String composed_resilience4j() {
        return r4jComposed.get();
    }

    @Benchmark
    public String composed_failsafe() {
        return failsafeComposed.get(plainCall::get);
    }
}
