package dev.chaperone.server.proxy;

import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLException;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chaperone.server.testing.Curl;
import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.RawTunnel;
import dev.chaperone.server.testing.TestFilters;
import dev.chaperone.server.testing.WireMockUpstreams;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One canonical authority per tunnel: the SNI, the {@code Host} header, HTTP/2's {@code :authority} and an
 * absolute-form target must all name the CONNECT target, on every request of the connection.
 */
class TunnelIdentityIT {

    @TempDir
    static Path workDir;

    static ProxyFixture proxy;
    static WireMockServer upstream;
    static ProxyFixture.Credentials box;

    @BeforeAll
    static void start() throws Exception {
        proxy = ProxyFixture.start(workDir);
        upstream = WireMockUpstreams.start(proxy.upstreamCertificates());
        box = proxy.register("identity", TestFilters.allowAll());
    }

    @AfterAll
    static void stop() {
        upstream.stop();
        proxy.close();
    }

    @BeforeEach
    void resetUpstream() {
        upstream.resetAll();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    private String authority() {
        return "api.example.test:" + upstream.httpsPort();
    }

    private RawTunnel openTunnel(String connectAuthority) throws Exception {
        RawTunnel tunnel = RawTunnel.connect(proxy.port(), connectAuthority, box);
        assertThat(tunnel.connectReply().status()).isEqualTo(200);
        return tunnel;
    }

    @Test
    void handshakeWithSniOfAnotherHostIsRefused() throws Exception {
        try (RawTunnel tunnel = openTunnel(authority())) {
            assertThatThrownBy(() -> tunnel.startTls(proxy.clientSslContext(), "other.example.test"))
                    .isInstanceOf(SSLException.class);
        }
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void curlWhoseTunnelGoesElsewhereThanItsSniIsRefused() throws Exception {
        // curl asks for api.example.test (SNI) but its CONNECT names other.example.test.
        Curl.Result result = Curl.run(List.of("-x", proxy.proxyUrl(box), "--cacert", proxy.caPem().toString(),
                "--http1.1", "--connect-to", "api.example.test:" + upstream.httpsPort() + ":other.example.test:"
                        + upstream.httpsPort(), "https://" + authority() + "/x"));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.status()).isZero();
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void handshakeWithoutSniIsRefusedForADnsName() throws Exception {
        try (RawTunnel tunnel = openTunnel(authority())) {
            assertThatThrownBy(() -> tunnel.startTls(proxy.clientSslContext(), null))
                    .isInstanceOf(SSLException.class);
        }
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void ipLiteralTargetWorksWithoutSni() throws Exception {
        String ipAuthority = "127.0.0.1:" + upstream.httpsPort();
        try (RawTunnel tunnel = openTunnel(ipAuthority)) {
            tunnel.startTls(proxy.clientSslContext(), null);

            assertThat(tunnel.get("/ip", ipAuthority).status()).isEqualTo(200);
        }
        upstream.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void hostHeaderNamingAnotherHostGets421() throws Exception {
        try (RawTunnel tunnel = openTunnel(authority())) {
            tunnel.startTls(proxy.clientSslContext(), "api.example.test");

            RawTunnel.Reply reply = tunnel.get("/x", "other.example.test:" + upstream.httpsPort());

            assertThat(reply.status()).isEqualTo(421);
            assertThat(reply.headers().get("content-type")).isEqualTo("application/json");
            assertThat(reply.body()).contains("\"error\":\"misdirected_request\"", "\"request_id\"");
        }
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void hostHeaderWithAnotherPortGets421() throws Exception {
        try (RawTunnel tunnel = openTunnel(authority())) {
            tunnel.startTls(proxy.clientSslContext(), "api.example.test");

            assertThat(tunnel.get("/x", "api.example.test").status()).isEqualTo(421);
            assertThat(tunnel.get("/x", "api.example.test:443").status()).isEqualTo(421);
        }
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void everyRequestOfAKeepAliveConnectionIsChecked() throws Exception {
        try (RawTunnel tunnel = openTunnel(authority())) {
            tunnel.startTls(proxy.clientSslContext(), "api.example.test");

            assertThat(tunnel.get("/first", authority()).status()).isEqualTo(200);
            assertThat(tunnel.get("/second", "other.example.test:" + upstream.httpsPort()).status())
                    .isEqualTo(421);
        }
        upstream.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void absoluteFormInsideATunnelMustNameTheTunnel() throws Exception {
        try (RawTunnel tunnel = openTunnel(authority())) {
            tunnel.startTls(proxy.clientSslContext(), "api.example.test");

            RawTunnel.Reply other = tunnel.get("https://other.example.test:" + upstream.httpsPort() + "/x",
                    "other.example.test:" + upstream.httpsPort());
            RawTunnel.Reply same = tunnel.get("https://" + authority() + "/y", authority());

            assertThat(other.status()).isIn(400, 421);
            assertThat(same.status()).isEqualTo(200);
        }
        upstream.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void http2AuthorityNamingAnotherHostGets421() throws Exception {
        Curl.Result result = Curl.run(List.of("-x", proxy.proxyUrl(box), "--cacert", proxy.caPem().toString(),
                "--http2", "-H", "Host: other.example.test:" + upstream.httpsPort(), "https://" + authority() + "/x"));

        assertThat(result.status()).isEqualTo(421);
        assertThat(result.body()).contains("misdirected_request");
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void clientHelloSentTogetherWithConnectIsNotLost() throws Exception {
        try (RawTunnel tunnel = RawTunnel.connectPipelined(proxy.port(), authority(), box, proxy.clientSslContext(),
                "api.example.test")) {
            assertThat(tunnel.get("/pipelined", authority()).status()).isEqualTo(200);
        }
        upstream.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void tunnelCountsAsOneClientConnectionWithOneHandshake() throws Exception {
        awaitOpenConnections(0);
        int handshakes = proxy.listener().handshakesSucceeded();

        try (RawTunnel tunnel = openTunnel(authority())) {
            tunnel.startTls(proxy.clientSslContext(), "api.example.test");
            assertThat(tunnel.get("/counted", authority()).status()).isEqualTo(200);

            awaitOpenConnections(1);
            assertThat(proxy.listener().handshakesSucceeded()).isEqualTo(handshakes + 1);
        }
        awaitOpenConnections(0);
    }

    private static void awaitOpenConnections(int expected) throws InterruptedException {
        for (int i = 0; i < 500 && proxy.listener().openConnections() != expected; i++) {
            Thread.sleep(10);
        }
        assertThat(proxy.listener().openConnections()).isEqualTo(expected);
    }
}
