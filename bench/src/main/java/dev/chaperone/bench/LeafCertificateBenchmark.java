package dev.chaperone.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.chaperone.server.tls.CertificateAuthority;
import dev.chaperone.server.tls.LeafCertificates;

/**
 * What presenting a leaf certificate costs the proxy: a cache miss (a host never seen, so a certificate is
 * signed by the CA) against a cache hit (the host's certificate is already cached). The cache holds 10,000
 * hosts, so once it is full a miss also pays for evicting the least recently used host.
 *
 * <p>Run with {@code java -jar bench/target/benchmarks.jar LeafCertificateBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LeafCertificateBenchmark {

    private static final int CACHE_CAPACITY = 10_000;

    private Path dataDir;
    private LeafCertificates leaves;
    private long nextHost;

    @Setup(Level.Trial)
    public void createAuthority() throws IOException {
        dataDir = Files.createTempDirectory("chaperone-leaf-bench");
        CertificateAuthority authority = CertificateAuthority.loadOrCreate(dataDir);
        leaves = new LeafCertificates(authority, CACHE_CAPACITY, Duration.ofDays(2), Clock.systemUTC());
        leaves.lookup("bench.test");
    }

    @TearDown(Level.Trial)
    public void deleteAuthority() throws IOException {
        try (var files = Files.list(dataDir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dataDir);
    }

    @Benchmark
    public LeafCertificates.Lookup cacheMiss() {
        return leaves.lookup("h" + nextHost++ + ".bench.test");
    }

    @Benchmark
    public LeafCertificates.Lookup cacheHit() {
        return leaves.lookup("bench.test");
    }
}
