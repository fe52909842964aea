package dev.chaperone.loaddriver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class BenchReportTest {
    private static String run(String label, double throughput, double p50, double p99, String extra) {
        return "{\"label\":\"" + label + "\",\"throughput\":" + throughput + ",\"p50Us\":" + p50 + ",\"p99Us\":" + p99
                + ",\"p999Us\":" + p99 + ",\"errors\":0" + extra + "}";
    }

    private static String rowOf(String table, String scenario, String proxy, String load) {
        return Arrays.stream(table.split("\n"))
                .filter(line -> line.matches(scenario + "\\s+" + proxy + "\\s+" + load + "\\s.*"))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + scenario + " " + proxy + " " + load
                        + " in\n" + table));
    }

    @Test
    void comparesEachProxyWithDirectAndWithTheOtherProxy() throws Exception {
        BenchReport report = new BenchReport(List.of(
                "{\"meta\":\"machine\"}",
                run("keepalive-h1|direct|max", 4000, 900, 5000, ""),
                run("keepalive-h1|mitmproxy|max", 400, 9000, 50000, ",\"proxyCpuUsPerRequest\":1250.0"),
                run("keepalive-h1|chaperone|max", 2000, 1900, 9000, ",\"proxyCpuUsPerRequest\":55.5"),
                run("keepalive-h1|mitmproxy|50", 200, 3000, 20000, ""),
                run("keepalive-h1|direct@mitmproxy|50", 200, 500, 2000, "")));

        String table = report.table();

        assertThat(rowOf(table, "keepalive-h1", "mitmproxy", "max")).contains(" 0.100 ", " 1250.0 ");
        assertThat(rowOf(table, "keepalive-h1", "chaperone", "max")).contains(" 0.500 ", " 5.000 ", " 55.5 ");
        // Added latency at 50% load: 3000 - 500 us, 20000 - 2000 us.
        assertThat(rowOf(table, "keepalive-h1", "mitmproxy", "50%")).contains(" 2.500 ", " 18.000 ");
        assertThat(table).doesNotContain("direct@mitmproxy");
    }

    @Test
    void comparesACertificateCacheMissWithTheHitOfTheSameProxy() throws Exception {
        BenchReport report = new BenchReport(List.of(
                run("new-tunnel-hit|mitmproxy|max", 100, 20000, 40000, ""),
                run("new-tunnel-miss|mitmproxy|max", 10, 120000, 300000, "")));

        assertThat(rowOf(report.table(), "new-tunnel-miss", "mitmproxy", "max")).contains(" 0.100 ", " 100.000 ");
    }

    @Test
    void comparesManyInstancesWithOne() throws Exception {
        BenchReport report = new BenchReport(List.of(
                run("policy-1|chaperone|max", 2000, 1000, 2000, ""),
                run("policy-10000|chaperone|max", 1960, 1000, 2000, "")));

        assertThat(rowOf(report.table(), "policy-10000", "chaperone", "max")).contains(" 0.980 ");
    }

    @Test
    void comparesEachRepeatedRunWithTheRunOfTheSameRound() throws Exception {
        BenchReport report = new BenchReport(List.of(
                run("policy-1|chaperone|max-1", 2000, 1000, 2000, ""),
                run("policy-10000|chaperone|max-1", 1900, 1000, 2000, ""),
                run("policy-10000|chaperone|max-2", 2100, 1000, 2000, ""),
                run("policy-1|chaperone|max-2", 2000, 1000, 2000, "")));

        String table = report.table();

        assertThat(rowOf(table, "policy-10000", "chaperone", "max-1")).contains(" 0.950 ");
        assertThat(rowOf(table, "policy-10000", "chaperone", "max-2")).contains(" 1.050 ");
    }

    @Test
    void showsMemoryPerIdleConnection() throws Exception {
        BenchReport report = new BenchReport(List.of(run("idle-1000|chaperone|hold", 300, 1000, 2000,
                ",\"rssPerConnectionKiB\":40.25,\"heapPerConnectionKiB\":12.5")));

        assertThat(rowOf(report.table(), "idle-1000", "chaperone", "hold")).endsWith("40.3/12.5");
    }
}
