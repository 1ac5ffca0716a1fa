package dev.bulwark.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark at 1 and 2 threads with the GC profiler and prints a Markdown table: ns/op (the median of
 * five one-second iterations after three of warm-up, so that one iteration disturbed by the machine does not move
 * the row) and B/op per library, and the ratio of Bulwark to the best anchor (Resilience4j, Failsafe or the hand-written
 * equivalent) per operation; rows that no other library does (floors, the registry scrape) say "no peer". On the
 * fallback rows Resilience4j's bare try/catch is shown as a floor and Failsafe's {@code Fallback} is the anchor.
 * Benchmarks with parameters get one row per parameter value.
 *
 * <p>{@code --smoke} runs each benchmark once, briefly and in-process: CI uses it so the benchmarks never
 * rot. The numbers of a smoke run mean nothing.
 */
public final class BenchmarkReport {
    private static final String[] LIBRARIES = {"bulwark", "resilience4j", "failsafe", "handwritten"};
    /** Rows where Resilience4j's code is a bare try/catch with no counting or events: a floor, not a peer. */
    private static final String FLOOR_ONLY_R4J = "fallback";

    private BenchmarkReport() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        boolean smoke = List.of(args).contains("--smoke");
        String include = "dev\\.bulwark\\.benchmarks\\.(CircuitBreaker|Policy|FanOut|Fallback|Registry|ResultCache)Benchmark\\..*";
        StringBuilder report = new StringBuilder();
        report.append("| operation | threads | Bulwark ns/op | Bulwark B/op | Resilience4j ns/op | Resilience4j B/op "
                + "| Failsafe ns/op | Failsafe B/op | hand-written ns/op | hand-written B/op | Bulwark / best anchor |\n");
        report.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int threads : smoke ? new int[] {1} : new int[] {1, 2}) {
            ChainedOptionsBuilder options = new OptionsBuilder().include(include).threads(threads)
                    .addProfiler(GCProfiler.class).shouldFailOnError(true);
            if (smoke) {
                options.forks(0).warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(50));
            } else {
                options.forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(1))
                        .measurementIterations(5).measurementTime(TimeValue.seconds(1));
            }
            Collection<RunResult> results = new Runner(options.build()).run();
            appendRows(report, results, threads);
        }
        report.append('\n').append(SharedBreakerRows.run(smoke));
        String table = report.toString();
        System.out.println();
        System.out.println(table);
        Path out = Path.of("bulwark-benchmarks", "target", "benchmark-report.md");
        if (Files.isDirectory(out.getParent())) {
            Files.writeString(out, table, StandardCharsets.UTF_8);
            System.out.println("written to " + out);
        }
    }

    private static void appendRows(StringBuilder report, Collection<RunResult> results, int threads) {
        Map<String, Map<String, double[]>> byOperation = new TreeMap<>();
        for (RunResult result : results) {
            String method = result.getParams().getBenchmark();
            String simple = method.substring(method.lastIndexOf('.') + 1);
            int split = simple.lastIndexOf('_');
            String operation = split < 0 ? simple : simple.substring(0, split);
            String library = split < 0 ? "bulwark" : simple.substring(split + 1);
            for (String param : result.getParams().getParamsKeys()) {
                operation = operation + " " + param + "=" + result.getParams().getParam(param);
            }
            double bytes = Double.NaN;
            for (Map.Entry<String, Result> secondary : result.getSecondaryResults().entrySet()) {
                if (secondary.getKey().endsWith("gc.alloc.rate.norm")) {
                    bytes = secondary.getValue().getScore();
                }
            }
            byOperation.computeIfAbsent(operation, key -> new LinkedHashMap<>())
                    .put(library, new double[] {result.getPrimaryResult().getStatistics().getPercentile(50), bytes});
        }
        for (Map.Entry<String, Map<String, double[]>> row : byOperation.entrySet()) {
            Map<String, double[]> libraries = row.getValue();
            List<String> cells = new ArrayList<>();
            cells.add(row.getKey());
            cells.add(String.valueOf(threads));
            double best = Double.NaN;
            for (String library : LIBRARIES) {
                double[] score = libraries.get(library);
                cells.add(score == null ? "" : format(score[0], 1));
                cells.add(score == null ? "" : format(Math.max(0, score[1]), 0));
                boolean floorOnly = library.equals("resilience4j") && row.getKey().startsWith(FLOOR_ONLY_R4J);
                if (score != null && !library.equals("bulwark") && !floorOnly) {
                    best = Double.isNaN(best) ? score[0] : Math.min(best, score[0]);
                }
            }
            double[] ours = libraries.get("bulwark");
            cells.add(ours == null ? "" : Double.isNaN(best) ? "no peer" : format(ours[0] / best, 2));
            report.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
    }

    private static String format(double value, int decimals) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
