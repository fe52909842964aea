package dev.chaperone.server.tls;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class LeafCertificatesTest {

    @TempDir
    Path dataDir;

    private LeafCertificates leaves(int capacity) throws Exception {
        return new LeafCertificates(CertificateAuthority.loadOrCreate(dataDir), capacity, Duration.ofDays(2),
                Clock.systemUTC());
    }

    @Test
    void leafNamesTheHostAsDnsNameOrIpAddressAndChainsToTheCa() throws Exception {
        LeafCertificates leaves = leaves(10);
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dataDir);

        X509Certificate[] dns = leaves.lookup("api.example.test").chain();
        X509Certificate[] ip = leaves.lookup("192.0.2.1").chain();

        assertThat(sans(dns[0])).containsExactly(List.of(2, "api.example.test"));
        assertThat(sans(ip[0])).containsExactly(List.of(7, "192.0.2.1"));
        dns[0].verify(ca.certificate().getPublicKey());
        assertThat(dns[1]).isEqualTo(ca.certificate());
        assertThat(dns[0].getPublicKey()).isEqualTo(ip[0].getPublicKey());
        assertThat(dns[0].getPublicKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void leafIsBackdatedAndShortLived() throws Exception {
        Instant now = Instant.now();

        X509Certificate leaf = leaves(10).lookup("api.example.test").chain()[0];

        assertThat(leaf.getNotBefore().toInstant()).isBefore(now.minus(Duration.ofMinutes(30)));
        assertThat(leaf.getNotAfter().toInstant()).isBefore(now.plus(Duration.ofDays(3)));
    }

    @Test
    void secondLookupIsACacheHitAndConcurrentLookupsMintOnce() throws Exception {
        LeafCertificates leaves = leaves(10);
        Collection<Callable<LeafCertificates.Lookup>> lookups = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            lookups.add(() -> leaves.lookup("api.example.test"));
        }
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<LeafCertificates.Lookup> results = new ArrayList<>();
        try {
            for (Future<LeafCertificates.Lookup> future : threads.invokeAll(lookups)) {
                results.add(future.get());
            }
        } finally {
            threads.shutdown();
        }

        assertThat(results).filteredOn(lookup -> !lookup.cacheHit()).hasSize(1);
        assertThat(results).extracting(lookup -> lookup.chain()[0]).containsOnly(results.get(0).chain()[0]);
    }

    @Test
    void cacheKeepsAtMostItsCapacity() throws Exception {
        LeafCertificates leaves = leaves(2);

        leaves.lookup("a.example.test");
        leaves.lookup("b.example.test");
        leaves.lookup("c.example.test");

        assertThat(leaves.size()).isEqualTo(2);
        assertThat(leaves.lookup("a.example.test").cacheHit()).isFalse();
    }

    private static List<List<?>> sans(X509Certificate certificate) throws Exception {
        return new ArrayList<>(certificate.getSubjectAlternativeNames());
    }
}
