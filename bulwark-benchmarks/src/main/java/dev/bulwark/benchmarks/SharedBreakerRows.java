package dev.bulwark.benchmarks;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The {@link SharedBreakerBenchmark} part of the report: the breaker's hot path local-only against attached to shared
 * state on Redis, side by side in one run, with their ratio (goal: within 1.2).
 */
final class SharedBreakerRows {

    private SharedBreakerRows() {
    }

    static String run(boolean smoke) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("dev\\.bulwark\\.benchmarks\\.SharedBreakerBenchmark\\..*").threads(1)
                .shouldFailOnError(true);
        if (smoke) {
            options.forks(0).warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(50));
        } else {
            options.forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, double[]> byOperation = new TreeMap<>();
        for (RunResult result : results) {
            String method = result.getParams().getBenchmark();
            String simple = method.substring(method.lastIndexOf('.') + 1);
            int split = simple.lastIndexOf('_');
            double[] pair = byOperation.computeIfAbsent(simple.substring(0, split), key -> new double[] {Double.NaN, Double.NaN});
            pair[simple.endsWith("_local") ? 0 : 1] = result.getPrimaryResult().getScore();
        }
        StringBuilder table = new StringBuilder(
                "| breaker hot path (Redis module) | local-only ns/op | shared on Redis ns/op | shared / local |\n"
                        + "|---|---|---|---|\n");
        for (Map.Entry<String, double[]> row : byOperation.entrySet()) {
            double[] pair = row.getValue();
            table.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2f |%n", row.getKey(), pair[0], pair[1],
                    pair[1] / pair[0]));
        }
        return table.toString();
    }
}
