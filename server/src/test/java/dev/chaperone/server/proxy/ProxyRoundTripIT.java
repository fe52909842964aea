package dev.chaperone.server.proxy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chaperone.server.audit.ExchangeRecord;
import dev.chaperone.server.testing.Curl;
import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.RawTunnel;
import dev.chaperone.server.testing.TestFilters;
import dev.chaperone.server.testing.WireMockUpstreams;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterRequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** Requests through the proxy to a WireMock HTTPS upstream, with curl and the JDK client. */
class ProxyRoundTripIT {

    @TempDir
    static Path workDir;

    static ProxyFixture proxy;
    static WireMockServer upstream;

    @BeforeAll
    static void start() throws Exception {
        proxy = ProxyFixture.start(workDir);
        upstream = WireMockUpstreams.start(proxy.upstreamCertificates());
    }

    @AfterAll
    static void stop() throws Exception {
        upstream.stop();
        proxy.close();
    }

    @BeforeEach
    void resetUpstream() {
        upstream.resetAll();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("hello from upstream")));
    }

    private String url(String host, String path) {
        return "https://" + host + ":" + upstream.httpsPort() + path;
    }

    private Curl.Result curl(ProxyFixture.Credentials credentials, String... args) throws Exception {
        return proxy.curl(credentials, args);
    }

    @Test
    void allowedHostReachesUpstreamOverHttp11() throws Exception {
        ProxyFixture.Credentials box = proxy.register("box-h1", TestFilters.allowAll());

        Curl.Result result = curl(box, "--http1.1", url("api.example.test", "/hello"));

        assertThat(result.stderr()).isEmpty();
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).isEqualTo("hello from upstream");
        upstream.verify(1, getRequestedFor(urlEqualTo("/hello")));
        ExchangeRecord record = proxy.listener().awaitExchange(r -> "box-h1".equals(r.instanceId()));
        assertThat(record.decision()).isEqualTo("forwarded");
        assertThat(record.protocol()).isEqualTo("HTTP/1.1");
        assertThat(record.status()).isEqualTo(200);
    }

    @Test
    void allowedHostReachesUpstreamOverHttp2() throws Exception {
        ProxyFixture.Credentials box = proxy.register("box-h2", TestFilters.allowAll());

        Curl.Result result = curl(box, "--http2", url("api.example.test", "/h2"));

        assertThat(result.stderr()).isEmpty();
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).isEqualTo("hello from upstream");
        ExchangeRecord record = proxy.listener().awaitExchange(r -> "box-h2".equals(r.instanceId()));
        assertThat(record.protocol()).isEqualTo("HTTP/2");
    }

    @Test
    void jdkClientReachesUpstreamThroughTheProxy() throws Exception {
        ProxyFixture.Credentials box = proxy.register("box-jdk", TestFilters.allowAll());
        upstream.stubFor(get("/jdk").willReturn(aResponse().withStatus(201).withBody("jdk ok")));

        for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2)) {
            HttpClient client = proxy.jdkClient(box, version);
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create(url("api.example.test", "/jdk"))).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(response.body()).isEqualTo("jdk ok");
        }
        upstream.verify(2, getRequestedFor(urlEqualTo("/jdk")));
    }

    @Test
    void wrongTokenGets407() throws Exception {
        proxy.register("box-407", TestFilters.allowAll());
        ProxyFixture.Credentials wrong = new ProxyFixture.Credentials("box-407", "not-the-token");

        Curl.Result result = curl(wrong, "--http1.1", url("api.example.test", "/secret"));

        assertThat(result.connectStatus()).isEqualTo(407);
        upstream.verify(0, anyRequestedFor(anyUrl()));
        ExchangeRecord record = proxy.listener().awaitExchange(
                r -> "unauthenticated".equals(r.decision()) && "connect".equals(r.kind()));
        assertThat(record.status()).isEqualTo(407);
    }

    @Test
    void hostRefusedByChainGets403AtConnectWithoutTls() throws Exception {
        ProxyFixture.Credentials box = proxy.register("box-deny",
                TestFilters.denyHost("denied.example.test"), TestFilters.allowAll());
        int handshakesBefore = proxy.listener().handshakesSucceeded() + proxy.listener().handshakesFailed();

        Curl.Result result = curl(box, "--http1.1", url("denied.example.test", "/x"));

        assertThat(result.connectStatus()).isEqualTo(403);
        assertThat(proxy.listener().handshakesSucceeded() + proxy.listener().handshakesFailed())
                .isEqualTo(handshakesBefore);
        upstream.verify(0, anyRequestedFor(anyUrl()));
        ExchangeRecord record = proxy.listener().awaitExchange(r -> "box-deny".equals(r.instanceId()));
        assertThat(record.kind()).isEqualTo("connect");
        assertThat(record.decision()).isEqualTo("denied");
        assertThat(record.reason()).isEqualTo("host_not_allowed");
        assertThat(record.filter()).isEqualTo("test-0");
    }

    @Test
    void emptyChainReachesNothing() throws Exception {
        ProxyFixture.Credentials box = proxy.register("box-empty");

        Curl.Result tunnelled = curl(box, "--http1.1", url("api.example.test", "/x"));
        Curl.Result plain = curl(box, "http://api.example.test:" + upstream.port() + "/x");

        assertThat(tunnelled.connectStatus()).isEqualTo(403);
        assertThat(plain.status()).isEqualTo(403);
        assertThat(plain.body()).contains("\"reason\":\"no_filter_allowed\"");
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void chainWithoutAnAllowingFilterIsDeniedByDefault() throws Exception {
        ProxyFixture.Credentials box = proxy.register("box-noallow", TestFilters.setHeader("X-Seen", "1"));

        Curl.Result result = curl(box, "--http1.1", url("api.example.test", "/x"));

        assertThat(result.status()).isEqualTo(403);
        assertThat(result.body()).contains("\"error\":\"egress_denied\"", "\"reason\":\"no_filter_allowed\"",
                "\"request_id\":");
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void throwingFilterGets500AndNothingReachesUpstream() throws Exception {
        ProxyFixture.Credentials box = proxy.register("box-throw", TestFilters.allowAll(), TestFilters.throwing());

        Curl.Result result = curl(box, "--http1.1", url("api.example.test", "/x"));

        assertThat(result.status()).isEqualTo(500);
        assertThat(result.body()).contains("\"error\":\"filter_failed\"", "\"filter\":\"test-1\"")
                .doesNotContain("broken on purpose", "Exception");
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void filterAnswerEndsTheChainWithItsStatusAndHeaders() throws Exception {
        ProxyFixture.Credentials box = proxy.register("box-429", TestFilters.allowAll(), TestFilters.deciding(
                request -> Decision.respond(429, "rate_limited", "too_many_requests", null)
                        .withHeader("Retry-After", "7")));

        Curl.Result result = curl(box, "--http1.1", "-D", "-", url("api.example.test", "/x"));

        assertThat(result.status()).isEqualTo(429);
        assertThat(result.body()).containsIgnoringCase("Retry-After: 7").contains("\"error\":\"rate_limited\"");
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void headerAddedByFilterReachesUpstreamButNotTheClient() throws Exception {
        ProxyFixture.Credentials box = proxy.register("box-inject",
                TestFilters.setHeader("X-Injected", "injected-value"), TestFilters.allowAll());

        Curl.Result result = curl(box, "--http1.1", "-D", "-", "-H", "Proxy-Connection: keep-alive",
                url("api.example.test", "/inject"));

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).doesNotContain("injected-value");
        upstream.verify(getRequestedFor(urlEqualTo("/inject"))
                .withHeader("X-Injected", equalTo("injected-value"))
                .withHeader("Proxy-Authorization", absent())
                .withHeader("Proxy-Connection", absent()));
    }

    @Test
    void plainHttpAbsoluteFormRequestRunsTheSameChain() throws Exception {
        ProxyFixture.Credentials box = proxy.register("box-plain",
                TestFilters.denyHost("denied.example.test"), TestFilters.setHeader("X-Injected", "plain"),
                TestFilters.allowAll());

        Curl.Result allowed = curl(box, "http://api.example.test:" + upstream.port() + "/plain?a=1");
        Curl.Result denied = curl(box, "http://denied.example.test:" + upstream.port() + "/plain");

        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.body()).isEqualTo("hello from upstream");
        assertThat(denied.status()).isEqualTo(403);
        upstream.verify(1, getRequestedFor(urlEqualTo("/plain?a=1")).withHeader("X-Injected", equalTo("plain")));
        upstream.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void deletedInstanceIsRefusedOnTheNextRequestOfAnOpenTunnel() throws Exception {
        ProxyFixture.Credentials box = proxy.register("box-delete", TestFilters.allowAll());
        String authority = "api.example.test:" + upstream.httpsPort();

        try (RawTunnel tunnel = RawTunnel.connect(proxy.port(), authority, box)) {
            assertThat(tunnel.connectReply().status()).isEqualTo(200);
            tunnel.startTls(proxy.clientSslContext(), "api.example.test");
            assertThat(tunnel.get("/first", authority).status()).isEqualTo(200);

            proxy.registry().remove("box-delete");
            RawTunnel.Reply second = tunnel.get("/second", authority);

            assertThat(second.status()).isEqualTo(407);
        }
        upstream.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void replacedChainAppliesToTheNextRequestOfAnOpenTunnel() throws Exception {
        String token = "token-of-box-replace";
        ProxyFixture.Credentials box = proxy.register("box-replace", token, Map.of(), TestFilters.allowAll());
        String authority = "api.example.test:" + upstream.httpsPort();

        try (RawTunnel tunnel = RawTunnel.connect(proxy.port(), authority, box)) {
            assertThat(tunnel.connectReply().status()).isEqualTo(200);
            tunnel.startTls(proxy.clientSslContext(), "api.example.test");
            assertThat(tunnel.get("/first", authority).status()).isEqualTo(200);

            proxy.register("box-replace", token, Map.of(),
                    TestFilters.deciding(request -> Decision.deny("replaced", null)));
            RawTunnel.Reply second = tunnel.get("/second", authority);

            assertThat(second.status()).isEqualTo(403);
            assertThat(second.body()).contains("\"reason\":\"replaced\"");
        }
        upstream.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void filterThatAsksForTheBodySeesItAndALargerBodyGets413() throws Exception {
        List<String> seenBodies = new CopyOnWriteArrayList<>();
        ProxyFixture.Credentials box = proxy.register("box-body", new Filter() {
            @Override
            public long bodyLimit(FilterRequest request) {
                return 16;
            }

            @Override
            public Decision onRequest(FilterRequest request) {
                request.body().ifPresent(body -> seenBodies.add(StandardCharsets.UTF_8.decode(body).toString()));
                return Decision.allow("*");
            }
        });

        Curl.Result small = curl(box, "--http1.1", "--data-binary", "small body", url("api.example.test", "/small"));
        Curl.Result large = curl(box, "--http1.1", "--data-binary", "x".repeat(100), url("api.example.test", "/large"));

        assertThat(small.status()).isEqualTo(200);
        assertThat(seenBodies).containsExactly("small body");
        upstream.verify(1, postRequestedFor(urlEqualTo("/small")).withRequestBody(equalTo("small body")));
        assertThat(large.status()).isEqualTo(413);
        upstream.verify(0, postRequestedFor(urlEqualTo("/large")));
    }

    @Test
    void everyFilterThatRanIsToldOnceHowTheExchangeEnded() throws Exception {
        List<String> completions = new CopyOnWriteArrayList<>();
        Filter recording = new Filter() {
            @Override
            public Decision onRequest(FilterRequest request) {
                return Decision.allow("*");
            }

            @Override
            public void onComplete(FilterRequest request, int status) {
                completions.add(request.path() + " " + status);
            }
        };
        ProxyFixture.Credentials box = proxy.register("box-complete", recording,
                TestFilters.deciding(request -> request.path().equals("/refused")
                        ? Decision.deny("path_not_allowed", "/refused") : Decision.proceed()));

        curl(box, "--http1.1", url("api.example.test", "/fine"));
        curl(box, "--http1.1", url("api.example.test", "/refused"));
        proxy.listener().awaitExchange(r -> "box-complete".equals(r.instanceId()) && "/refused".equals(r.path()));

        assertThat(completions).containsExactly("/fine 200", "/refused 403");
    }

    @Test
    void oversizedRequestHeadersGet431InsideAndOutsideTunnels() throws Exception {
        ProxyFixture.Credentials box = proxy.register("box-431", TestFilters.allowAll());
        String big = "X-Big: " + "a".repeat(proxy.settings().maxRequestHeaderSize());

        Curl.Result tunnelled = curl(box, "--http1.1", "-H", big, url("api.example.test", "/big"));
        Curl.Result plain = curl(box, "-H", big, "http://api.example.test:" + upstream.port() + "/big");

        assertThat(tunnelled.status()).isEqualTo(431);
        assertThat(tunnelled.body()).contains("\"error\":\"request_header_fields_too_large\"").doesNotContain("aaaa");
        assertThat(plain.status()).isEqualTo(431);
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }
}
