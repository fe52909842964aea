package dev.chaperone.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.chaperone.plugins.matching.HostMatcher;
import dev.chaperone.plugins.matching.HostRule;
import dev.chaperone.plugins.matching.HostRules;

/**
 * How long one host lookup takes as the rule count grows from 10 to 100,000, for exact names, wildcards and
 * CIDR blocks (of three prefix lengths), on hits and misses. Flat figures across rule counts show that the
 * matcher does not scan its rules.
 *
 * <p>Run with {@code java -jar bench/target/benchmarks.jar HostMatchingBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HostMatchingBenchmark {

    @Param({"10", "1000", "100000"})
    public int rules;

    private HostMatcher matcher;
    private String exactHost;
    private String wildcardHost;
    private String cidrHost;
    private String missingName;
    private String missingAddress;

    @Setup
    public void buildRules() {
        List<String> hosts = new ArrayList<>(rules);
        for (int i = 0; i < rules; i++) {
            hosts.add(switch (i % 6) {
                case 0, 3 -> "host" + i + ".example.com";
                case 1, 4 -> "*.zone" + i + ".example.net";
                case 2 -> ipv4(0x14000000 + (i << 8)) + "/24";
                default -> i % 12 == 5 ? ipv4(0x40000000 + (i << 12)) + "/20" : ipv4(0x1E000000 + i) + "/32";
            });
        }
        matcher = HostMatcher.of(HostRules.parse(hosts, List.of()));

        int middle = rules / 2 / 6 * 6;
        exactHost = "host" + middle + ".example.com";
        wildcardHost = "api.eu.zone" + (middle + 1) + ".example.net";
        cidrHost = ipv4(0x14000000 + ((middle + 2) << 8) + 77);
        missingName = "api.eu.nowhere" + middle + ".example.org";
        missingAddress = "192.0.2.1";
        for (String hit : List.of(exactHost, wildcardHost, cidrHost)) {
            if (matcher.find(hit, 443).isEmpty()) {
                throw new IllegalStateException("the benchmark's hit " + hit + " matches no rule");
            }
        }
    }

    private static String ipv4(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }

    @Benchmark
    public Optional<HostRule> exactHit() {
        return matcher.find(exactHost, 443);
    }

    @Benchmark
    public Optional<HostRule> wildcardHit() {
        return matcher.find(wildcardHost, 443);
    }

    @Benchmark
    public Optional<HostRule> cidrHit() {
        return matcher.find(cidrHost, 443);
    }

    @Benchmark
    public Optional<HostRule> nameMiss() {
        return matcher.find(missingName, 443);
    }

    @Benchmark
    public Optional<HostRule> addressMiss() {
        return matcher.find(missingAddress, 443);
    }
}
