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
 *
 * <p>Each adapter answers with a completed future built once, in both rows: building an answer is the adapter's own
 * work, not the fan-out's (the first version of this benchmark built a new string per call in Bulwark's row only, while
 * the hand-written row's answers were compile-time constants).
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
    private CompletableFuture<String>[] answers;

    @Setup(Level.Trial)
    public void setUp() {
        FanOut.Builder<String, String> builder = FanOut.builder("bench");
        @SuppressWarnings("unchecked")
        CompletableFuture<String>[] built = new CompletableFuture[adapters];
        answers = built;
        for (int i = 0; i < adapters; i++) {
            String name = "adapter-" + i;
            CompletableFuture<String> answer = CompletableFuture.completedFuture(name + "q");
            answers[i] = answer;
            builder.adapter(Adapter.async(name, (request, context) -> answer));
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
        CompletableFuture<String>[] calls = new CompletableFuture[answers.length];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = answers[i]; // an adapter call
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
