package dev.bulwark.benchmarks;

import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.Fallback;
import io.github.resilience4j.core.SupplierUtils;
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
 * A fallback around a call, in Bulwark, Resilience4j and Failsafe: when the primary answers
 * ({@code fallbackServed}), and when it fails and the alternative answers ({@code fallbackSwitched}).
 * The failure is one preallocated exception without a stack trace, so the rows measure the fallback
 * machinery, not exception construction. Bulwark's switch calls again with the provider set under a typed
 * context key, as {@code FallbackStrategy.switchProvider} does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FallbackBenchmark {

    private static final ExecutionContext.Key<String> PROVIDER = ExecutionContext.Key.of("provider", String.class);

    private static final RuntimeException DOWN = new IllegalStateException("primary down", null) {
        private static final long serialVersionUID = 1L;

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    private final String value = "payload";
    private final String backup = "backup";
    private final ContextualSupplier<String> bulwarkHealthy = context -> value;
    private final ContextualSupplier<String> bulwarkFailing = context -> {
        if (context.get(PROVIDER).isEmpty()) {
            throw DOWN;
        }
        return backup;
    };
    private final Supplier<String> healthy = () -> value;
    private final Supplier<String> failing = () -> {
        throw DOWN;
    };

    private dev.bulwark.fallback.Fallback<String> bulwark;
    private Supplier<String> r4jServed;
    private Supplier<String> r4jSwitched;
    private FailsafeExecutor<String> failsafe;

    @Setup
    public void setUp() {
        bulwark = dev.bulwark.fallback.Fallback.<String>builder("fallback").switchProvider(PROVIDER, "backup").build();
        r4jServed = SupplierUtils.recover(healthy, error -> backup);
        r4jSwitched = SupplierUtils.recover(failing, error -> backup);
        failsafe = Failsafe.with(Fallback.<String>of(() -> backup));
    }

    @Benchmark
    public String fallbackServed_bulwark() throws Exception {
        return bulwark.execute(ExecutionContext.detached(), bulwarkHealthy);
    }

    @Benchmark
    public String fallbackServed_resilience4j() {
        return r4jServed.get();
    }

    @Benchmark
    public String fallbackServed_failsafe() {
        return failsafe.get(healthy::get);
    }

    @Benchmark
    public String fallbackSwitched_bulwark() throws Exception {
        return bulwark.execute(ExecutionContext.detached(), bulwarkFailing);
    }

    @Benchmark
    public String fallbackSwitched_resilience4j() {
        return r4jSwitched.get();
    }

    @Benchmark
    public String fallbackSwitched_failsafe() {
        return failsafe.get(failing::get);
    }
}
