package dev.chaperone.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the chain and leaf certificate benchmarks and prints each figure beside its baseline as a ratio:
 * the four-filter chain against the empty chain, a certificate cache miss against a hit. Ratios taken in
 * one run are what compare across machines; the absolute times depend on the machine and its load.
 *
 * <p>Run with {@code java -cp bench/target/benchmarks.jar dev.chaperone.bench.RatioReport}.
 */
public final class RatioReport {

    private RatioReport() {
    }

    public static void main(String[] args) throws RunnerException {
        Options options = new OptionsBuilder()
                .include("ChainBenchmark|LeafCertificateBenchmark")
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, RunResult> byName = new HashMap<>();
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark();
            byName.put(label.substring(label.lastIndexOf('.', label.lastIndexOf('.') - 1) + 1), result);
        }

        System.out.println();
        System.out.printf("%-42s %14s %14s %8s%n", "benchmark", "figure", "baseline", "ratio");
        ratio(byName, "ChainBenchmark.fourFilterChain", "ChainBenchmark.emptyChain");
        ratio(byName, "LeafCertificateBenchmark.cacheMiss", "LeafCertificateBenchmark.cacheHit");
    }

    private static void ratio(Map<String, RunResult> byName, String figure, String baseline) {
        RunResult measured = byName.get(figure);
        RunResult base = byName.get(baseline);
        if (measured == null || base == null) {
            System.out.printf("%-42s missing%n", figure);
            return;
        }
        double value = measured.getPrimaryResult().getScore();
        double baseValue = base.getPrimaryResult().getScore();
        String unit = measured.getPrimaryResult().getScoreUnit();
        System.out.printf("%-42s %14s %14s %7.1fx%n", figure, format(value, unit), format(baseValue, unit),
                value / baseValue);
    }

    private static String format(double value, String unit) {
        return String.format("%.2f %s", value, unit);
    }
}
