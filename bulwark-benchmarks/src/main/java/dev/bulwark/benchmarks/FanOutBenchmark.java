package dev.bulwark.benchmarks;

import dev.bulwark.fanout.Adapter;
import dev.bulwark.fanout.FanOut;
import dev.bulwark.fanout.FanOutResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * Fan-out of one request to {@code adapters} asynchronous adapters that answer at once, against the same work
 * written by hand with {@code CompletableFuture.allOf}: the cost of the fan-out's bookkeeping (per-adapter
 * results, the global limit, the deadline timer) and how it grows. Neither anchor library has a fan-out.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FanOutBenchmark {

    @Param({"3", "10", "50"})
    public int adapters;

    private FanOut<String, String> fanOut;
    private String[] names;

    @Setup(Level.Trial)
    public void setUp() {
        FanOut.Builder<String, String> builder = FanOut.builder("bench");
        names = new String[adapters];
        for (int i = 0; i < adapters; i++) {
            String name = "adapter-" + i;
            names[i] = name;
            builder.adapter(Adapter.async(name, (request, context) -> CompletableFuture.completedFuture(name + request)));
        }
        fanOut = builder.build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fanOut.shutdown();
    }

    @Benchmark
    public FanOutResult<String> fanOut_bulwark() {
        return fanOut.executeAsync("q").toCompletableFuture().join();
    }

    @Benchmark
    public List<String> fanOut_handwritten() {
        @SuppressWarnings("unchecked")
        CompletableFuture<String>[] calls = new CompletableFuture[names.length];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = CompletableFuture.completedFuture(names[i] + "q");
        }
        return CompletableFuture.allOf(calls).thenApply(done -> {
            List<String> answers = new ArrayList<>(calls.length);
            for (CompletableFuture<String> call : calls) {
                answers.add(call.join());
            }
            return answers;
        }).join();
    }
}
