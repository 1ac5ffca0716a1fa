package dev.bulwark.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The {@link SharedBreakerBenchmark} part of the report: the breaker's hot path local-only against attached to shared
 * state on Redis, measured at the same time (one JMH group per pair), with their ratio (goal: within 1.2).
 */
final class SharedBreakerRows {

    private SharedBreakerRows() {
    }

    static String run(boolean smoke) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("dev\\.bulwark\\.benchmarks\\.SharedBreakerBenchmark\\..*")
                .shouldFailOnError(true);
        if (smoke) {
            options.forks(0).warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(50));
        } else {
            options.forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, double[]> byOperation = new TreeMap<>();
        Map<String, List<Double>> ratios = new TreeMap<>();
        for (RunResult result : results) {
            for (Map.Entry<String, Result> method : result.getSecondaryResults().entrySet()) {
                String operation = operationOf(method.getKey());
                if (operation != null) {
                    double[] pair = byOperation.computeIfAbsent(operation, key -> new double[] {Double.NaN, Double.NaN});
                    pair[method.getKey().endsWith("_local") ? 0 : 1] = method.getValue().getScore();
                }
            }
            // the two halves of one iteration ran at the same moment: their ratio is the fair one under load
            for (BenchmarkResult fork : result.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    Map<String, Result> methods = iteration.getSecondaryResults();
                    for (Map.Entry<String, Result> method : methods.entrySet()) {
                        String operation = operationOf(method.getKey());
                        Result shared = methods.get(operation + "_shared");
                        if (operation != null && method.getKey().endsWith("_local") && shared != null) {
                            ratios.computeIfAbsent(operation, key -> new ArrayList<>())
                                    .add(shared.getScore() / method.getValue().getScore());
                        }
                    }
                }
            }
        }
        StringBuilder table = new StringBuilder(
                "| breaker hot path (Redis module) | local-only ns/op | shared on Redis ns/op | shared / local "
                        + "| median shared / local per iteration |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, double[]> row : byOperation.entrySet()) {
            double[] pair = row.getValue();
            List<Double> perIteration = ratios.getOrDefault(row.getKey(), new ArrayList<>());
            Collections.sort(perIteration);
            double median = perIteration.isEmpty() ? Double.NaN : perIteration.get(perIteration.size() / 2);
            table.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2f | %.2f |%n", row.getKey(), pair[0],
                    pair[1], pair[1] / pair[0], median));
        }
        return table.toString();
    }

    /** {@code closed} for {@code closed_local} or {@code closed_shared}, else null. */
    private static String operationOf(String method) {
        int split = method.lastIndexOf('_');
        return split > 0 && (method.endsWith("_local") || method.endsWith("_shared")) ? method.substring(0, split) : null;
    }
}
