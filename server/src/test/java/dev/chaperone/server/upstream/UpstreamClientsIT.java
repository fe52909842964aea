package dev.chaperone.server.upstream;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chaperone.server.testing.TestCertificates;
import dev.chaperone.server.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamClientsIT {

    @TempDir
    static Path workDir;

    static TestUpstream upstream;
    static TestCertificates certificates;

    @BeforeAll
    static void start() throws Exception {
        certificates = TestCertificates.create(workDir, List.of("a.example.test", "b.example.test"));
        upstream = TestUpstream.start(certificates, TestUpstream.answering("ok"));
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @Test
    void dropsTheDestinationsOfHostsItHasNotReachedForItsIdleTimeout() throws Exception {
        SocketAddressResolver loopback = new HostsFileResolver(HostsFileResolver.parse(
                List.of("127.0.0.1 a.example.test b.example.test"), "test hosts"), new SocketAddressResolver.Sync());
        HttpClient client = UpstreamClients.create(UpstreamTrust.clientContext(Optional.of(certificates.caPem())),
                loopback, Duration.ofSeconds(5), Duration.ofMillis(300));
        client.start();
        try {
            for (String host : List.of("a.example.test", "b.example.test")) {
                ContentResponse response = client.GET("https://" + host + ":" + upstream.port() + "/");
                assertThat(response.getStatus()).isEqualTo(200);
            }
            assertThat(client.getDestinations()).hasSize(2);

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!client.getDestinations().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }

            assertThat(client.getDestinations()).isEmpty();
        } finally {
            client.stop();
        }
    }
}
