package dev.chaperone.loaddriver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns the result lines of one benchmark session into the table of ratios that {@code bench/run.sh} prints.
 *
 * <p>Runs are named {@code scenario|target|load}: target is {@code direct}, a proxy name, or
 * {@code direct@proxy} for a direct run at the same rate as that proxy's run; load is {@code max} (closed
 * loop; {@code max-2} and so on when a scenario is run more than once), a percentage of the proxy's maximum
 * (open loop) or {@code hold} (idle connections). A scenario ending
 * in {@code -miss} is compared with the same proxy's {@code -hit} scenario, and {@code policy-N} with
 * {@code policy-1} of the same load, instead of with direct.
 */
final class BenchReport {
    private static final String DIRECT = "direct";
    private static final String PEER = "mitmproxy";

    private final Map<String, JsonNode> runs = new LinkedHashMap<>();

    BenchReport(List<String> resultLines) throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (String line : resultLines) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = json.readTree(line);
            if (node.hasNonNull("label")) {
                runs.put(node.get("label").asText(), node);
            }
        }
    }

    static BenchReport read(Path resultFile) throws IOException {
        return new BenchReport(Files.readAllLines(resultFile, StandardCharsets.UTF_8));
    }

    /** The table, one line per scenario, proxy and load. */
    String table() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-18s %-10s %-5s %9s %9s %9s %8s %8s %9s %7s %9s %9s",
                "scenario", "proxy", "load", "req/s", "x direct", "x mitm", "cpu us/r", "+p50 ms", "+p99 ms",
                "+p99.9ms", "errors", "KiB/conn"));
        for (String scenario : scenarios()) {
            for (String proxy : proxies(scenario)) {
                for (String load : loads(scenario, proxy)) {
                    lines.add(row(scenario, proxy, load));
                }
            }
        }
        return String.join("\n", lines) + "\n";
    }

    private String row(String scenario, String proxy, String load) {
        JsonNode run = runs.get(label(scenario, proxy, load));
        Optional<JsonNode> baseline = baseline(scenario, proxy, load);
        Optional<JsonNode> peer = proxy.equals(PEER) || proxy.equals(DIRECT)
                ? Optional.empty()
                : Optional.ofNullable(runs.get(label(scenario, PEER, load)));
        String throughputRatio = "-";
        String peerRatio = "-";
        if (closedLoop(load) || load.equals("hold")) {
            throughputRatio = baseline.map(base -> ratio(run, base, "throughput")).orElse("-");
            peerRatio = peer.map(other -> ratio(run, other, "throughput")).orElse("-");
        }
        boolean openLoop = !closedLoop(load) && !load.equals("hold");
        return String.format(Locale.ROOT, "%-18s %-10s %-5s %9s %9s %9s %8s %8s %9s %7s %9s %9s",
                scenario, proxy, openLoop ? load + "%" : load, number(run, "throughput", 0),
                throughputRatio, peerRatio, number(run, "proxyCpuUsPerRequest", 1),
                addedMillis(run, baseline, "p50Us"), addedMillis(run, baseline, "p99Us"),
                addedMillis(run, baseline, "p999Us"), run.path("errors").asText("-"),
                memoryPerConnection(run));
    }

    /** What a run is compared with: direct at the same rate or at its maximum, or a scenario of the same proxy. */
    private Optional<JsonNode> baseline(String scenario, String proxy, String load) {
        if (proxy.equals(DIRECT)) {
            return Optional.empty();
        }
        if (scenario.endsWith("-miss")) {
            String hit = scenario.substring(0, scenario.length() - "-miss".length()) + "-hit";
            return Optional.ofNullable(runs.get(label(hit, proxy, load)));
        }
        if (scenario.startsWith("policy-")) {
            return scenario.equals("policy-1")
                    ? Optional.empty()
                    : Optional.ofNullable(runs.get(label("policy-1", proxy, load)));
        }
        if (closedLoop(load)) {
            return Optional.ofNullable(runs.get(label(scenario, DIRECT, load)));
        }
        return Optional.ofNullable(runs.get(label(scenario, DIRECT + "@" + proxy, load)));
    }

    private static boolean closedLoop(String load) {
        return load.equals("max") || load.startsWith("max-");
    }

    private Set<String> scenarios() {
        Set<String> scenarios = new LinkedHashSet<>();
        runs.keySet().forEach(label -> scenarios.add(parts(label)[0]));
        return scenarios;
    }

    private Set<String> proxies(String scenario) {
        Set<String> proxies = new LinkedHashSet<>();
        // Direct first: it is the yardstick the other rows are read against.
        runs.keySet().stream().map(BenchReport::parts).filter(p -> p[0].equals(scenario) && p[1].equals(DIRECT))
                .forEach(p -> proxies.add(p[1]));
        runs.keySet().stream().map(BenchReport::parts).filter(p -> p[0].equals(scenario) && !p[1].contains(DIRECT))
                .forEach(p -> proxies.add(p[1]));
        return proxies;
    }

    private Set<String> loads(String scenario, String proxy) {
        Set<String> loads = new LinkedHashSet<>();
        runs.keySet().stream().map(BenchReport::parts).filter(p -> p[0].equals(scenario) && p[1].equals(proxy))
                .forEach(p -> loads.add(p[2]));
        return loads;
    }

    private static String[] parts(String label) {
        String[] parts = label.split("\\|", 3);
        return parts.length == 3 ? parts : new String[] {label, DIRECT, "max"};
    }

    private static String label(String scenario, String target, String load) {
        return scenario + "|" + target + "|" + load;
    }

    private static String ratio(JsonNode run, JsonNode baseline, String field) {
        double base = baseline.path(field).asDouble(0);
        return base == 0 ? "-" : String.format(Locale.ROOT, "%.3f", run.path(field).asDouble(0) / base);
    }

    private static String addedMillis(JsonNode run, Optional<JsonNode> baseline, String field) {
        if (baseline.isEmpty() || !run.has(field) || !baseline.get().has(field)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.3f", (run.get(field).asDouble() - baseline.get().get(field).asDouble())
                / 1_000);
    }

    private static String number(JsonNode run, String field, int decimals) {
        return run.hasNonNull(field)
                ? String.format(Locale.ROOT, "%." + decimals + "f", run.get(field).asDouble())
                : "-";
    }

    private static String memoryPerConnection(JsonNode run) {
        if (!run.hasNonNull("rssPerConnectionKiB")) {
            return "-";
        }
        String rss = String.format(Locale.ROOT, "%.1f", run.get("rssPerConnectionKiB").asDouble());
        return run.hasNonNull("heapPerConnectionKiB")
                ? rss + "/" + String.format(Locale.ROOT, "%.1f", run.get("heapPerConnectionKiB").asDouble())
                : rss;
    }
}
