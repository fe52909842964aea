package dev.chaperone.server.bypass;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.chaperone.server.testing.Curl;
import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.TestFilters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Domain fronting and request routing confusion: one canonical authority per tunnel, the CONNECT target.
 * The chain refuses {@code other.example.test} and allows the rest, so a request that steered the proxy
 * there through the SNI, the {@code Host} header, an absolute-form target or HTTP/2's {@code :authority}
 * inside a tunnel to {@code api.example.test} would be a bypass. The basic cases are in
 * {@code TunnelIdentityIT}; these rows cover the spellings around them.
 */
class IdentityBypassIT {

    @TempDir
    static Path workDir;

    static BypassHarness harness;
    static ProxyFixture.Credentials box;

    enum Expect { REFUSED, FORWARDED_ONCE }

    @BeforeAll
    static void start() throws Exception {
        harness = BypassHarness.start(workDir, UnaryOperator.identity());
        box = harness.proxy.register("identity", TestFilters.denyHost("other.example.test"), TestFilters.allowAll());
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @BeforeEach
    void resetUpstream() {
        harness.upstream.reset();
    }

    /** {name, SNI (null for none), raw request with {a} = tunnel authority and {o} = the other host's, expect}. */
    static Stream<Arguments> tunnelRows() {
        return Stream.of(
                row("SNI vs Host mismatch: SNI names another host", "other.example.test",
                        "GET /x HTTP/1.1\r\nHost: {a}\r\n\r\n", Expect.REFUSED),
                row("SNI vs Host mismatch: no SNI for a DNS-name tunnel", null,
                        "GET /x HTTP/1.1\r\nHost: {a}\r\n\r\n", Expect.REFUSED),
                row("SNI vs Host mismatch: SNI names a subdomain of the target", "www.api.example.test",
                        "GET /x HTTP/1.1\r\nHost: {a}\r\n\r\n", Expect.REFUSED),
                row("SNI vs Host mismatch: Host names another host", "api.example.test",
                        "GET /x HTTP/1.1\r\nHost: {o}\r\n\r\n", Expect.REFUSED),
                row("SNI vs Host mismatch: Host names another port", "api.example.test",
                        "GET /x HTTP/1.1\r\nHost: api.example.test:1\r\n\r\n", Expect.REFUSED),
                row("SNI vs Host mismatch: Host without the tunnel's port", "api.example.test",
                        "GET /x HTTP/1.1\r\nHost: api.example.test\r\n\r\n", Expect.REFUSED),
                row("SNI vs Host mismatch: Host is the loopback address", "api.example.test",
                        "GET /x HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n", Expect.REFUSED),
                row("SNI vs Host mismatch: Host with userinfo", "api.example.test",
                        "GET /x HTTP/1.1\r\nHost: user@{a}\r\n\r\n", Expect.REFUSED),
                row("SNI vs Host mismatch: Host with an '@' pointing elsewhere", "api.example.test",
                        "GET /x HTTP/1.1\r\nHost: {a}@{o}\r\n\r\n", Expect.REFUSED),
                row("SNI vs Host mismatch: Host with a path", "api.example.test",
                        "GET /x HTTP/1.1\r\nHost: {a}/admin\r\n\r\n", Expect.REFUSED),
                row("SNI vs Host mismatch: two Host fields, the second elsewhere", "api.example.test",
                        "GET /x HTTP/1.1\r\nHost: {a}\r\nHost: {o}\r\n\r\n", Expect.REFUSED),
                row("SNI vs Host mismatch: two Host fields, the first elsewhere", "api.example.test",
                        "GET /x HTTP/1.1\r\nHost: {o}\r\nHost: {a}\r\n\r\n", Expect.REFUSED),
                row("SNI vs Host mismatch: Host list 'target, other'", "api.example.test",
                        "GET /x HTTP/1.1\r\nHost: {a}, {o}\r\n\r\n", Expect.REFUSED),
                row("SNI vs Host mismatch: no Host field at all", "api.example.test",
                        "GET /x HTTP/1.1\r\n\r\n", Expect.REFUSED),
                row("absolute-form in tunnel to other host", "api.example.test",
                        "GET https://{o}/x HTTP/1.1\r\nHost: {o}\r\n\r\n", Expect.REFUSED),
                row("absolute-form in tunnel to other host with the tunnel's Host", "api.example.test",
                        "GET https://{o}/x HTTP/1.1\r\nHost: {a}\r\n\r\n", Expect.REFUSED),
                row("absolute-form in tunnel with http scheme", "api.example.test",
                        "GET http://{a}/x HTTP/1.1\r\nHost: {a}\r\n\r\n", Expect.REFUSED),
                row("absolute-form in tunnel with userinfo naming the target", "api.example.test",
                        "GET https://{a}@{o}/x HTTP/1.1\r\nHost: {a}\r\n\r\n", Expect.REFUSED),
                row("absolute-form in tunnel to the cloud metadata address", "api.example.test",
                        "GET http://169.254.169.254/latest/meta-data/ HTTP/1.1\r\nHost: 169.254.169.254\r\n\r\n",
                        Expect.REFUSED),
                row("CONNECT inside a tunnel to another host", "api.example.test",
                        "CONNECT {o} HTTP/1.1\r\nHost: {o}\r\n\r\n", Expect.REFUSED),
                row("canonical spelling: upper-case Host of the tunnel is the same authority", "api.example.test",
                        "GET /x HTTP/1.1\r\nHost: API.Example.TEST:{port}\r\n\r\n", Expect.FORWARDED_ONCE),
                row("canonical spelling: absolute-form naming the tunnel", "api.example.test",
                        "GET https://{a}/x HTTP/1.1\r\nHost: {a}\r\n\r\n", Expect.FORWARDED_ONCE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tunnelRows")
    void everyRequestInATunnelNamesTheTunnelsAuthority(String name, String sni, String raw, Expect expect)
            throws Exception {
        String authority = harness.httpsAuthority("api.example.test");
        BypassHarness.Outcome outcome = harness.tunnel(box, authority, sni, raw.replace("{a}", authority)
                .replace("{o}", harness.httpsAuthority("other.example.test"))
                .replace("{port}", String.valueOf(harness.upstream.httpsPort())));

        if (expect == Expect.REFUSED) {
            assertThat(outcome.isErrorOrClose()).as("answer %s", outcome.status()).isTrue();
            harness.assertUpstreamReceivedNothing();
        } else {
            assertThat(outcome.status()).isEqualTo(200);
            BypassUpstream.Received received = harness.assertUpstreamReceivedOne();
            assertThat(received.authority()).isEqualTo(authority);
            assertThat(received.uri()).isEqualTo("/x");
        }
    }

    /** Malformed or misleading CONNECT targets: {name, the CONNECT request-target}. */
    static Stream<Arguments> connectRows() {
        return Stream.of(
                Arguments.of("CONNECT without a port", "api.example.test"),
                Arguments.of("CONNECT to port 0", "api.example.test:0"),
                Arguments.of("CONNECT to port 65536", "api.example.test:65536"),
                Arguments.of("CONNECT with userinfo naming another host", "other.example.test@api.example.test:443"),
                Arguments.of("CONNECT with a path", "api.example.test:443/admin"),
                Arguments.of("CONNECT in absolute form", "https://api.example.test:443/"),
                Arguments.of("CONNECT to a host the chain refuses", "other.example.test:443"),
                Arguments.of("CONNECT to an empty host", ":443"),
                Arguments.of("CONNECT to a host with a space", "api example.test:443"),
                Arguments.of("CONNECT to a host with an encoded dot", "api%2eexample.test:443"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connectRows")
    void malformedOrRefusedConnectTargetsGetNoTunnel(String name, String target) throws Exception {
        BypassHarness.Outcome outcome = harness.plain("CONNECT " + target + " HTTP/1.1\r\nHost: " + target
                + "\r\nProxy-Authorization: " + box.proxyAuthorization() + "\r\n\r\n");

        assertThat(outcome.isErrorOrClose()).as("answer %s", outcome.status()).isTrue();
        assertThat(harness.dns.names()).doesNotContain("other.example.test");
        harness.assertUpstreamReceivedNothing();
    }

    static Stream<Arguments> http2Rows() {
        return Stream.of(
                Arguments.of("h2 :authority mismatch: another host", List.of("-H", "Host: {o}")),
                Arguments.of("h2 :authority mismatch: another port", List.of("-H", "Host: api.example.test:1")),
                Arguments.of("h2 :authority mismatch: another host in upper case",
                        List.of("-H", "Host: OTHER.example.test:" + harness.upstream.httpsPort())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("http2Rows")
    void http2AuthorityMustNameTheTunnel(String name, List<String> options) throws Exception {
        String authority = harness.httpsAuthority("api.example.test");
        List<String> args = new ArrayList<>(List.of("-x", harness.proxy.proxyUrl(box), "--cacert",
                harness.proxy.caPem().toString(), "--http2"));
        for (String option : options) {
            args.add(option.replace("{o}", harness.httpsAuthority("other.example.test")));
        }
        args.add("https://" + authority + "/x");

        Curl.Result result = Curl.run(args);

        assertThat(result.status()).isIn(400, 421);
        harness.assertUpstreamReceivedNothing();
    }

    private static Arguments row(String name, String sni, String raw, Expect expect) {
        return Arguments.of(name, sni, raw, expect);
    }
}
