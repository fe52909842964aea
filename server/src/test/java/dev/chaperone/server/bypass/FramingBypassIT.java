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

import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.TestFilters;
import dev.chaperone.spi.Decision;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request smuggling and ambiguous framing (CWE-444 and relatives): every message whose length, coding or
 * fields two parsers could read differently is refused, and what is legal arrives upstream as exactly one
 * re-serialised request. Each row runs as a plain proxy request and again inside an intercepted tunnel; the
 * chain refuses paths under {@code /forbidden}, so a request hidden inside another must never reach it.
 */
class FramingBypassIT {

    @TempDir
    static Path workDir;

    static BypassHarness harness;
    static ProxyFixture.Credentials box;

    enum Mode { PLAIN, TUNNEL }

    /** What the proxy must do with a row's bytes. */
    enum Expect {
        /** An error status or a close, and nothing upstream. */
        REFUSED,
        /** 200 and exactly one complete request upstream, whose body is the row's body. */
        FORWARDED_ONCE,
        /**
         * A legal head whose body breaks its framing later: the head may already be on its way upstream while
         * the body streams, so the error aborts that exchange and no complete request arrives.
         */
        CUT_OFF,
        /** Two pipelined requests: the first forwarded, the second (to /forbidden) refused by the chain. */
        FIRST_FORWARDED_SECOND_DENIED
    }

    @BeforeAll
    static void start() throws Exception {
        harness = BypassHarness.start(workDir, UnaryOperator.identity());
        box = harness.proxy.register("framing", TestFilters.deciding(request -> request.path().startsWith("/forbidden")
                ? Decision.deny("path_denied", "/forbidden") : Decision.allow("*")));
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @BeforeEach
    void resetUpstream() {
        harness.upstream.reset();
    }

    static Stream<Arguments> rows() {
        List<Object[]> table = List.of(
                row("CWE-444 CL.TE: Content-Length and Transfer-Encoding", Expect.REFUSED,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Content-Length: 6\r\n"
                                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nG"),
                row("CWE-444 TE.CL: Transfer-Encoding before Content-Length", Expect.REFUSED,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Transfer-Encoding: chunked\r\n"
                                + "Content-Length: 4\r\n\r\n5c\r\nGET /forbidden HTTP/1.1\r\n\r\n0\r\n\r\n"),
                row("CWE-444 CL.CL: differing duplicate Content-Length", Expect.REFUSED,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Content-Length: 5\r\n"
                                + "Content-Length: 6\r\n\r\nhello!"),
                row("CWE-444 Content-Length list '5, 6'", Expect.REFUSED,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Content-Length: 5, 6\r\n\r\nhello!"),
                row("CWE-444 identical duplicate Content-Length", Expect.REFUSED,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Content-Length: 5\r\n"
                                + "Content-Length: 5\r\n\r\nhello"),
                row("CWE-444 Content-Length with a plus sign", Expect.REFUSED,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Content-Length: +5\r\n\r\nhello"),
                row("CWE-444 negative Content-Length", Expect.REFUSED,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Content-Length: -1\r\n\r\nhello"),
                row("CWE-444 hexadecimal Content-Length", Expect.REFUSED,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Content-Length: 0x5\r\n\r\nhello"),
                row("CWE-444 Content-Length with inner space", Expect.REFUSED,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Content-Length: 5 5\r\n\r\nhello"),
                row("CWE-190 Content-Length overflowing 64 bits", Expect.REFUSED,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}"
                                + "Content-Length: 99999999999999999999999\r\n\r\nhello"),
                row("CWE-444 obfuscated coding 'xchunked'", Expect.REFUSED,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Transfer-Encoding: xchunked\r\n\r\n"
                                + "5\r\nhello\r\n0\r\n\r\n"),
                row("CWE-444 coding list 'chunked, identity'", Expect.REFUSED,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Transfer-Encoding: chunked, identity\r\n"
                                + "\r\n5\r\nhello\r\n0\r\n\r\n"),
                row("CWE-444 coding 'identity' alone", Expect.REFUSED,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Transfer-Encoding: identity\r\n\r\n"
                                + "5\r\nhello\r\n0\r\n\r\n"),
                row("CWE-444 coding list 'gzip, chunked'", Expect.REFUSED,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Transfer-Encoding: gzip, chunked\r\n"
                                + "\r\n5\r\nhello\r\n0\r\n\r\n"),
                row("CWE-444 coding applied twice 'chunked, chunked'", Expect.REFUSED,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Transfer-Encoding: chunked, chunked\r\n"
                                + "\r\n5\r\nhello\r\n0\r\n\r\n"),
                row("CWE-444 two Transfer-Encoding fields", Expect.REFUSED,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Transfer-Encoding: chunked\r\n"
                                + "Transfer-Encoding: identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
                row("CWE-444 leading space ' chunked' is legal whitespace", Expect.FORWARDED_ONCE,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Transfer-Encoding:  chunked\r\n\r\n"
                                + "5\r\nhello\r\n0\r\n\r\n"),
                row("CWE-444 leading tab '\\tchunked' is legal whitespace", Expect.FORWARDED_ONCE,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Transfer-Encoding:\tchunked\r\n\r\n"
                                + "5\r\nhello\r\n0\r\n\r\n"),
                row("CWE-444 whitespace before colon 'Transfer-Encoding :'", Expect.REFUSED,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Transfer-Encoding : chunked\r\n"
                                + "Content-Length: 5\r\n\r\nhello"),
                row("mitmproxy CVE-2021-39214 request smuggling: vertical tab after 'chunked'", Expect.REFUSED,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Transfer-Encoding: chunked\u000b\r\n"
                                + "Content-Length: 5\r\n\r\nhello"),
                row("CWE-444 Transfer-Encoding folded onto the next line (obs-fold)", Expect.REFUSED,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Transfer-Encoding:\r\n chunked\r\n\r\n"
                                + "5\r\nhello\r\n0\r\n\r\n"),
                row("RFC 9112 obs-fold in an ordinary field", Expect.REFUSED,
                        "GET {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}X-Folded: a\r\n b\r\n\r\n"),
                row("Envoy CVE-2019-9900 NUL in header value", Expect.REFUSED,
                        "GET {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}X-Nul: a\u0000b\r\n\r\n"),
                row("CWE-93 bare CR inside a header value", Expect.REFUSED,
                        "GET {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}X-Cr: a\rX-Injected: b\r\n\r\n"),
                row("CWE-444 bare LF ending header lines", Expect.REFUSED,
                        "GET {target}/ok HTTP/1.1\nHost: {host}\n{auth}X-Lf: a\n\n"),
                row("CWE-444 bare LF in chunked framing", Expect.CUT_OFF,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Transfer-Encoding: chunked\r\n\r\n"
                                + "5\nhello\n0\n\n"),
                row("RFC 9110 space inside a field name", Expect.REFUSED,
                        "GET {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}X Foo: 1\r\n\r\n"),
                row("RFC 9110 non-token character in a field name", Expect.REFUSED,
                        "GET {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}X@Foo: 1\r\n\r\n"),
                row("RFC 9110 field line without a colon", Expect.REFUSED,
                        "GET {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}X-No-Colon\r\n\r\n"),
                row("RFC 9110 empty field name", Expect.REFUSED,
                        "GET {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}: empty\r\n\r\n"),
                row("CWE-190 chunk size overflowing 64 bits", Expect.CUT_OFF,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Transfer-Encoding: chunked\r\n\r\n"
                                + "fffffffffffffffffff5\r\nhello\r\n0\r\n\r\n"),
                row("CWE-444 chunk size that is not hex", Expect.CUT_OFF,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Transfer-Encoding: chunked\r\n\r\n"
                                + "5g\r\nhello\r\n0\r\n\r\n"),
                row("CWE-444 chunk data longer than its size", Expect.CUT_OFF,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Transfer-Encoding: chunked\r\n\r\n"
                                + "3\r\nhello\r\n0\r\n\r\n"),
                row("h2c smuggling: Upgrade h2c with HTTP2-Settings", Expect.REFUSED,
                        "GET {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Connection: Upgrade, HTTP2-Settings\r\n"
                                + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n"),
                row("h2c smuggling: Upgrade h2c without Connection", Expect.REFUSED,
                        "GET {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Upgrade: h2c\r\n\r\n"),
                row("h2c smuggling: HTTP2-Settings alone", Expect.REFUSED,
                        "GET {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n"),
                row("h2c smuggling: HTTP/2 preface on an HTTP/1.1 connection", Expect.REFUSED,
                        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
                row("RFC 9110 unknown expectation", Expect.REFUSED,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Expect: something-else\r\n"
                                + "Content-Length: 5\r\n\r\nhello"),
                row("RFC 9110 Expect 100-continue is handled, not forwarded", Expect.FORWARDED_ONCE,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Expect: 100-continue\r\n"
                                + "Content-Length: 5\r\n\r\nhello"),
                row("HTTP/0.9 request line", Expect.REFUSED, "GET /ok\r\n\r\n"),
                row("HTTP/2.0 version in an HTTP/1 request line", Expect.REFUSED,
                        "GET {target}/ok HTTP/2.0\r\nHost: {host}\r\n{auth}\r\n"),
                row("RFC 9112 space inside the request target", Expect.REFUSED,
                        "GET {target}/o k HTTP/1.1\r\nHost: {host}\r\n{auth}\r\n"),
                row("CWE-444 pipelined second request is filtered on its own", Expect.FIRST_FORWARDED_SECOND_DENIED,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Content-Length: 5\r\n\r\nhello"
                                + "GET {target}/forbidden HTTP/1.1\r\nHost: {host}\r\n{auth}\r\n"),
                row("CWE-444 request text inside a chunked body stays body", Expect.FORWARDED_ONCE,
                        "POST {target}/ok HTTP/1.1\r\nHost: {host}\r\n{auth}Transfer-Encoding: chunked\r\n\r\n"
                                + "5\r\nhello\r\n0\r\n\r\n"),
                row("CWE-22 encoded dot segments to a refused path", Expect.REFUSED,
                        "GET {target}/ok/%2e%2e/forbidden HTTP/1.1\r\nHost: {host}\r\n{auth}\r\n"),
                row("CWE-22 path parameter dot segment '..;' to a refused path", Expect.REFUSED,
                        "GET {target}/ok/..;/forbidden HTTP/1.1\r\nHost: {host}\r\n{auth}\r\n"),
                row("CWE-22 encoded slash hiding a refused path", Expect.REFUSED,
                        "GET {target}/ok%2F..%2Fforbidden HTTP/1.1\r\nHost: {host}\r\n{auth}\r\n"),
                row("CWE-22 backslash dot segment to a refused path", Expect.REFUSED,
                        "GET {target}/ok/..%5Cforbidden HTTP/1.1\r\nHost: {host}\r\n{auth}\r\n"),
                row("CWE-22 plain dot segments are resolved before the chain", Expect.REFUSED,
                        "GET {target}/ok/../forbidden HTTP/1.1\r\nHost: {host}\r\n{auth}\r\n"));
        List<Arguments> arguments = new ArrayList<>();
        for (Object[] row : table) {
            for (Mode mode : Mode.values()) {
                arguments.add(Arguments.of(row[0], mode, row[1], row[2]));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("rows")
    void ambiguousFramingIsRefusedAndLegalFramingArrivesOnce(String name, Mode mode, Expect expect, String template)
            throws Exception {
        int answers = expect == Expect.FIRST_FORWARDED_SECOND_DENIED ? 2 : 1;
        List<BypassHarness.Outcome> outcomes;
        if (mode == Mode.PLAIN) {
            String authority = harness.httpAuthority("api.example.test");
            outcomes = harness.plain(template.replace("{target}", "http://" + authority)
                    .replace("{host}", authority)
                    .replace("{auth}", "Proxy-Authorization: " + box.proxyAuthorization() + "\r\n"), answers);
        } else {
            String authority = harness.httpsAuthority("api.example.test");
            outcomes = harness.tunnel(box, authority, "api.example.test", template.replace("{target}", "")
                    .replace("{host}", authority).replace("{auth}", ""), answers);
        }

        switch (expect) {
            case REFUSED -> {
                assertThat(outcomes.get(0).isErrorOrClose()).as("answer %s", outcomes.get(0).status()).isTrue();
                harness.assertUpstreamReceivedNothing();
            }
            case CUT_OFF -> {
                assertThat(outcomes.get(0).isErrorOrClose()).as("answer %s", outcomes.get(0).status()).isTrue();
                harness.upstream.settleAfterCutOff();
                assertThat(harness.upstream.completed()).as("complete requests upstream").isEmpty();
            }
            case FORWARDED_ONCE -> {
                assertThat(outcomes.get(0).status()).as("answer").isEqualTo(200);
                BypassUpstream.Received received = harness.assertUpstreamReceivedOne();
                assertThat(received.uri()).isEqualTo("/ok");
                assertThat(received.body()).isEqualTo("hello");
                assertThat(received.header("transfer-encoding")).isIn(null, "chunked");
                assertThat(received.header("expect")).isNull();
            }
            case FIRST_FORWARDED_SECOND_DENIED -> {
                assertThat(outcomes).extracting(BypassHarness.Outcome::status).containsExactly(200, 403);
                assertThat(harness.assertUpstreamReceivedOne().uri()).isEqualTo("/ok");
            }
        }
        assertThat(harness.upstream.completed()).noneMatch(received -> received.uri().contains("forbidden"));
    }

    private static Object[] row(String name, Expect expect, String template) {
        return new Object[] {name, expect, template};
    }
}
