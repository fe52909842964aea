package dev.chaperone.server.proxy;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chaperone.server.audit.ExchangeRecord;
import dev.chaperone.server.net.AddressDeniedException;
import dev.chaperone.server.testing.Curl;
import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.TestFilters;
import dev.chaperone.server.testing.WireMockUpstreams;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

/** What the client is told when the upstream cannot be reached, does not answer, or may not be connected to. */
class UpstreamFailureIT {

    @TempDir
    static Path workDir;

    static ProxyFixture proxy;
    static WireMockServer upstream;
    static ProxyFixture.Credentials box;

    @BeforeAll
    static void start() throws Exception {
        proxy = ProxyFixture.start(workDir,
                settings -> settings.withUpstreamTimeouts(Duration.ofSeconds(2), Duration.ofMillis(700)),
                UpstreamFailureIT::denyOtherExampleTest);
        upstream = WireMockUpstreams.start(proxy.upstreamCertificates());
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(3000).withBody("late")));
        box = proxy.register("failures", TestFilters.allowAll());
    }

    /** Stands in for the address guard: refuses whatever other.example.test resolves to. */
    static SocketAddressResolver denyOtherExampleTest(SocketAddressResolver resolver) {
        return (host, port, context, promise) -> {
            if (host.equals("other.example.test")) {
                promise.failed(new AddressDeniedException(host, "loopback"));
            } else {
                resolver.resolve(host, port, context, promise);
            }
        };
    }

    @AfterAll
    static void stop() {
        upstream.stop();
        proxy.close();
    }

    private Curl.Result curl(String url) throws Exception {
        return Curl.run(List.of("-x", proxy.proxyUrl(box), "--cacert", proxy.caPem().toString(), "--http1.1", url));
    }

    @Test
    void refusedConnectionGets502() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        Curl.Result result = curl("https://api.example.test:" + closedPort + "/x");

        assertThat(result.status()).isEqualTo(502);
        assertThat(result.body()).contains("\"error\":\"upstream_unreachable\"", "\"reason\":\"connection_refused\"");
        ExchangeRecord record = proxy.listener().awaitExchange(r -> r.port() == closedPort);
        assertThat(record.decision()).isEqualTo("failed");
        assertThat(record.status()).isEqualTo(502);
    }

    @Test
    void upstreamThatDoesNotAnswerInTimeGets504() throws Exception {
        Curl.Result result = curl("https://api.example.test:" + upstream.httpsPort() + "/slow");

        assertThat(result.status()).isEqualTo(504);
        assertThat(result.body()).contains("\"error\":\"upstream_timeout\"");
    }

    @Test
    void addressRefusedByTheResolverGets403() throws Exception {
        Curl.Result result = curl("https://other.example.test:" + upstream.httpsPort() + "/x");

        assertThat(result.status()).isEqualTo(403);
        assertThat(result.body()).contains("\"error\":\"address_denied\"", "\"reason\":\"loopback\"");
        upstream.verify(0, anyRequestedFor(anyUrl()).withUrl("/x"));
    }
}
