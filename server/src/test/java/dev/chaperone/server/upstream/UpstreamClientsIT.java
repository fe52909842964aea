package dev.chaperone.server.upstream;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
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
    void givesNewConnectionsTheListenersOfItsTransportNotThoseOfTheClient() throws Exception {
        HttpClient client = UpstreamClients.create(UpstreamTrust.clientContext(Optional.of(certificates.caPem())),
                loopback(), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60));
        List<String> transportListenerSaw = new CopyOnWriteArrayList<>();
        List<String> clientListenerSaw = new CopyOnWriteArrayList<>();
        ((UpstreamClients.UpstreamTransport) client.getTransport()).connectionListeners()
                .addBean(opened(transportListenerSaw));
        client.addBean(opened(clientListenerSaw));
        client.start();
        try {
            ContentResponse h1 = client.newRequest("https://a.example.test:" + upstream.port() + "/")
                    .version(HttpVersion.HTTP_1_1).send();
            ContentResponse h2 = client.newRequest("https://b.example.test:" + upstream.port() + "/")
                    .version(HttpVersion.HTTP_2).send();

            assertThat(h1.getVersion()).isEqualTo(HttpVersion.HTTP_1_1);
            assertThat(h2.getVersion()).isEqualTo(HttpVersion.HTTP_2);
            // Every layer of both connections: TLS, the protocol negotiation and the HTTP connection on top.
            assertThat(transportListenerSaw).contains("SslConnection", "ALPNClientConnection",
                    "HttpConnectionOverHTTP", "HTTP2ClientConnection");
            // The client's own components, one per destination among them, are not searched for listeners.
            assertThat(clientListenerSaw).isEmpty();
        } finally {
            client.stop();
        }
    }

    private static Connection.Listener opened(List<String> connectionTypes) {
        return new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                connectionTypes.add(connection.getClass().getSimpleName());
            }
        };
    }

    private static SocketAddressResolver loopback() throws Exception {
        return new HostsFileResolver(HostsFileResolver.parse(List.of("127.0.0.1 a.example.test b.example.test"),
                "test hosts"), new SocketAddressResolver.Sync());
    }

    @Test
    void dropsTheDestinationsOfHostsItHasNotReachedForItsIdleTimeout() throws Exception {
        HttpClient client = UpstreamClients.create(UpstreamTrust.clientContext(Optional.of(certificates.caPem())),
                loopback(), Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofMillis(300));
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
