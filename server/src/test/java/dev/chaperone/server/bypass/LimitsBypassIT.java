package dev.chaperone.server.bypass;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.RawH2;
import dev.chaperone.server.testing.RawTunnel;
import dev.chaperone.server.testing.TestFilters;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resource limits (CWE-400, CWE-770) against a proxy with small ones: 1 KiB bodies, three connections per
 * instance, two seconds to deliver a request head and one to finish a TLS handshake. Oversized heads and
 * bodies get 431 and 413 before anything goes upstream, trickling clients are cut off, and HTTP/2 floods end
 * the connection.
 */
class LimitsBypassIT {

    private static final int MAX_BODY = 1024;
    private static final int CONNECTIONS = 3;

    @TempDir
    static Path workDir;

    static BypassHarness harness;
    static ProxyFixture.Credentials box;
    static ProxyFixture.Credentials localAnswers;

    /** One row of the table: drives the proxy and asserts. */
    @FunctionalInterface
    interface Scenario {
        void run() throws Exception;
    }

    @BeforeAll
    static void start() throws Exception {
        harness = BypassHarness.start(workDir, settings -> settings.withLimits(MAX_BODY, CONNECTIONS)
                .withHeaderReadTimeout(Duration.ofSeconds(2))
                .withClientTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(1)));
        box = harness.proxy.register("limits", TestFilters.allowAll());
        // Floods must not reach an upstream even if the proxy processed every stream.
        localAnswers = harness.proxy.register("local", answerLocally());
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
        List<Arguments> rows = new ArrayList<>();
        add(rows, "CWE-770 request head over the size limit gets 431 [plain]", () -> {
            BypassHarness.Outcome outcome = harness.plain(plainGet("/x", "X-Big: " + "a".repeat(20_000)));
            assertThat(outcome.status()).isEqualTo(431);
            assertThat(outcome.body()).contains("request_header_fields_too_large");
            harness.assertUpstreamReceivedNothing();
        });
        add(rows, "CWE-770 request head over the size limit gets 431 [tunnel]", () -> {
            BypassHarness.Outcome outcome = tunnel(tunnelGet("/x", "X-Big: " + "a".repeat(20_000)));
            assertThat(outcome.status()).isEqualTo(431);
            harness.assertUpstreamReceivedNothing();
        });
        add(rows, "CWE-770 many small fields over the size limit get 431 [plain]", () -> {
            BypassHarness.Outcome outcome = harness.plain(plainGet("/x", manyFields()));
            assertThat(outcome.status()).isEqualTo(431);
            harness.assertUpstreamReceivedNothing();
        });
        add(rows, "CWE-770 many small fields over the size limit get 431 [tunnel]", () -> {
            assertThat(tunnel(tunnelGet("/x", manyFields())).status()).isEqualTo(431);
            harness.assertUpstreamReceivedNothing();
        });
        add(rows, "CWE-770 request line over the size limit is refused [plain]", () -> {
            BypassHarness.Outcome outcome = harness.plain(plainGet("/x?" + "q".repeat(20_000), null));
            assertThat(outcome.status()).isIn(414, 431);
            harness.assertUpstreamReceivedNothing();
        });
        add(rows, "CWE-770 request line over the size limit is refused [tunnel]", () -> {
            assertThat(tunnel(tunnelGet("/x?" + "q".repeat(20_000), null)).status()).isIn(414, 431);
            harness.assertUpstreamReceivedNothing();
        });
        add(rows, "CWE-400 Content-Length over the body limit gets 413 before upstream [plain]", () -> {
            BypassHarness.Outcome outcome = harness.plain(plainPost("Content-Length: " + (MAX_BODY + 1), "x"));
            assertThat(outcome.status()).isEqualTo(413);
            assertThat(outcome.body()).contains("\"reason\":\"body_too_large\"");
            harness.assertUpstreamReceivedNothing();
        });
        add(rows, "CWE-400 Content-Length over the body limit gets 413 before upstream [tunnel]", () -> {
            BypassHarness.Outcome outcome = tunnel(tunnelPost("Content-Length: " + 10 * MAX_BODY, "x"));
            assertThat(outcome.status()).isEqualTo(413);
            harness.assertUpstreamReceivedNothing();
        });
        add(rows, "CWE-400 chunked body growing past the limit is cut off [plain]", () -> {
            BypassHarness.Outcome outcome = harness.plain(plainPost("Transfer-Encoding: chunked", chunks(3, 800)));
            assertThat(outcome.isErrorOrClose()).as("answer %s", outcome.status()).isTrue();
            harness.upstream.settleAfterCutOff();
            assertThat(harness.upstream.completed()).as("complete requests upstream").isEmpty();
        });
        add(rows, "CWE-400 chunked body growing past the limit is cut off [tunnel]", () -> {
            BypassHarness.Outcome outcome = tunnel(tunnelPost("Transfer-Encoding: chunked", chunks(3, 800)));
            assertThat(outcome.isErrorOrClose()).as("answer %s", outcome.status()).isTrue();
            harness.upstream.settleAfterCutOff();
            assertThat(harness.upstream.completed()).as("complete requests upstream").isEmpty();
        });
        add(rows, "body of exactly the limit passes [plain]", () -> {
            BypassHarness.Outcome outcome = harness.plain(plainPost("Content-Length: " + MAX_BODY,
                    "b".repeat(MAX_BODY)));
            assertThat(outcome.status()).isEqualTo(200);
            assertThat(harness.assertUpstreamReceivedOne().body()).hasSize(MAX_BODY);
        });
        add(rows, "chunked body of exactly the limit passes [tunnel]", () -> {
            BypassHarness.Outcome outcome = tunnel(tunnelPost("Transfer-Encoding: chunked", chunks(2, MAX_BODY / 2)));
            assertThat(outcome.status()).isEqualTo(200);
            assertThat(harness.assertUpstreamReceivedOne().body()).hasSize(MAX_BODY);
        });
        add(rows, "slowloris: request head trickled byte by byte is cut off [plain]", () -> {
            try (Socket socket = new Socket("127.0.0.1", harness.proxy.port())) {
                socket.setSoTimeout(20_000);
                BypassHarness.Outcome outcome = trickle(socket.getOutputStream(), socket.getInputStream(),
                        plainGet("/slow", "X-Slow: " + "s".repeat(60)));
                assertThat(outcome.isErrorOrClose()).as("answer %s", outcome.status()).isTrue();
            }
            harness.assertUpstreamReceivedNothing();
        });
        add(rows, "slowloris: CONNECT head trickled byte by byte is cut off", () -> {
            String authority = harness.httpsAuthority("api.example.test");
            try (Socket socket = new Socket("127.0.0.1", harness.proxy.port())) {
                socket.setSoTimeout(20_000);
                BypassHarness.Outcome outcome = trickle(socket.getOutputStream(), socket.getInputStream(),
                        "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\nX-Slow: "
                                + "s".repeat(60) + "\r\nProxy-Authorization: " + box.proxyAuthorization() + "\r\n\r\n");
                assertThat(outcome.isErrorOrClose()).as("answer %s", outcome.status()).isTrue();
            }
            harness.assertUpstreamReceivedNothing();
        });
        add(rows, "slowloris: request head trickled inside a tunnel is cut off [tunnel]", () -> {
            String authority = harness.httpsAuthority("api.example.test");
            try (RawTunnel tunnel = RawTunnel.connect(harness.proxy.port(), authority, box)) {
                assertThat(tunnel.connectReply().status()).isEqualTo(200);
                tunnel.startTls(harness.proxy.clientSslContext(), "api.example.test");
                BypassHarness.Outcome outcome = trickle(new TunnelBytes(tunnel), tunnel.inputStream(),
                        tunnelGet("/slow", "X-Slow: " + "s".repeat(60)));
                assertThat(outcome.isErrorOrClose()).as("answer %s", outcome.status()).isTrue();
            }
            harness.assertUpstreamReceivedNothing();
        });
        add(rows, "slowloris: next request head on a keep-alive connection trickled is cut off [plain]", () -> {
            String authority = harness.httpAuthority("api.example.test");
            String head = "GET http://" + authority + "/again HTTP/1.1\r\nHost: " + authority
                    + "\r\nProxy-Authorization: " + localAnswers.proxyAuthorization() + "\r\n";
            try (Socket socket = new Socket("127.0.0.1", harness.proxy.port())) {
                socket.setSoTimeout(20_000);
                socket.getOutputStream().write((head + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                assertThat(BypassHarness.read(socket.getInputStream()).status()).isEqualTo(403);
                BypassHarness.Outcome outcome = trickle(socket.getOutputStream(), socket.getInputStream(),
                        head + "X-Slow: " + "s".repeat(60) + "\r\n\r\n");
                assertThat(outcome.isErrorOrClose()).as("answer %s", outcome.status()).isTrue();
            }
            harness.assertUpstreamReceivedNothing();
        });
        add(rows, "slowloris: next request head in a keep-alive tunnel trickled is cut off [tunnel]", () -> {
            String authority = harness.httpsAuthority("api.example.test");
            try (RawTunnel tunnel = RawTunnel.connect(harness.proxy.port(), authority, localAnswers)) {
                assertThat(tunnel.connectReply().status()).isEqualTo(200);
                tunnel.startTls(harness.proxy.clientSslContext(), "api.example.test");
                assertThat(tunnel.get("/first", authority).status()).isEqualTo(403);
                BypassHarness.Outcome outcome = trickle(new TunnelBytes(tunnel), tunnel.inputStream(),
                        "GET /again HTTP/1.1\r\nHost: " + authority + "\r\nX-Slow: " + "s".repeat(60) + "\r\n\r\n");
                assertThat(outcome.isErrorOrClose()).as("answer %s", outcome.status()).isTrue();
            }
            harness.assertUpstreamReceivedNothing();
        });
        add(rows, "slowloris: TLS handshake never started is cut off (handshake timeout)", () -> {
            String authority = harness.httpsAuthority("api.example.test");
            try (RawTunnel tunnel = RawTunnel.connect(harness.proxy.port(), authority, box)) {
                assertThat(tunnel.connectReply().status()).isEqualTo(200);
                assertThat(tunnel.inputStream().read()).as("the proxy closes the silent tunnel").isEqualTo(-1);
            }
            harness.assertUpstreamReceivedNothing();
        });
        add(rows, "connections per instance: one tunnel more than allowed gets 429", () -> {
            ProxyFixture.Credentials greedy = harness.proxy.register("greedy-tunnels", answerLocally());
            List<RawTunnel> held = holdTunnels(greedy, CONNECTIONS);
            try {
                BypassHarness.Outcome extra = harness.tunnel(greedy, harness.httpsAuthority("api.example.test"),
                        "api.example.test", tunnelGet("/x", null));
                assertThat(extra.status()).isEqualTo(429);
                assertThat(extra.body()).contains("\"reason\":\"connections_per_instance\"");
            } finally {
                closeAll(held);
            }
            harness.assertUpstreamReceivedNothing();
        });
        add(rows, "connections per instance: a plain request on one connection more gets 429", () -> {
            ProxyFixture.Credentials greedy = harness.proxy.register("greedy-plain", answerLocally());
            List<RawTunnel> held = holdTunnels(greedy, CONNECTIONS);
            try {
                String authority = harness.httpAuthority("api.example.test");
                BypassHarness.Outcome extra = harness.plain("GET http://" + authority + "/x HTTP/1.1\r\nHost: "
                        + authority + "\r\nProxy-Authorization: " + greedy.proxyAuthorization() + "\r\n\r\n");
                assertThat(extra.status()).isEqualTo(429);
            } finally {
                closeAll(held);
            }
            harness.assertUpstreamReceivedNothing();
        });
        add(rows, "connections per instance: another instance keeps its own allowance", () -> {
            ProxyFixture.Credentials greedy = harness.proxy.register("greedy-neighbour", answerLocally());
            List<RawTunnel> held = holdTunnels(greedy, CONNECTIONS);
            try {
                assertThat(tunnel(tunnelGet("/x", null)).status()).isEqualTo(200);
            } finally {
                closeAll(held);
            }
            harness.assertUpstreamReceivedOne();
        });
        add(rows, "connections per instance: a closed tunnel gives its slot back", () -> {
            ProxyFixture.Credentials greedy = harness.proxy.register("greedy-returning", answerLocally());
            closeAll(holdTunnels(greedy, CONNECTIONS));
            BypassHarness.Outcome again = null;
            for (int attempt = 0; attempt < 100; attempt++) {
                again = harness.tunnel(greedy, harness.httpsAuthority("api.example.test"), "api.example.test",
                        tunnelGet("/x", null));
                if (again.status() != 429) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(again.status()).isEqualTo(403);
            harness.assertUpstreamReceivedNothing();
        });
        add(rows, "HTTP/2 rapid reset (CVE-2023-44487): RST_STREAM flood closes the connection", () -> {
            try (RawH2 h2 = openH2()) {
                String authority = harness.httpsAuthority("api.example.test");
                flood(h2, streamId -> {
                    h2.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, streamId,
                            RawH2.requestHeaders("GET", authority, "/reset"));
                    h2.frame(RawH2.RST_STREAM, 0, streamId, new byte[] {0, 0, 0, 8});
                });
                assertCalmedDown(h2.awaitGoAway());
            }
            harness.assertUpstreamReceivedNothing();
        });
        add(rows, "HTTP/2 streams beyond the concurrency limit are refused (CVE-2019-9511 class)", () -> {
            try (RawH2 h2 = openH2()) {
                String authority = harness.httpsAuthority("api.example.test");
                // Streams left open by the client (no END_STREAM) count against the limit of 128.
                for (int i = 0; i < 200; i++) {
                    h2.frame(RawH2.HEADERS, RawH2.END_HEADERS, 2 * i + 1,
                            RawH2.requestHeaders("POST", authority, "/open"));
                }
                h2.flush();
                RawH2.Frame refused = h2.awaitFrame(frame -> frame.type() == RawH2.RST_STREAM
                        && frame.errorCode() == RawH2.REFUSED_STREAM || frame.type() == RawH2.GOAWAY);
                assertThat(refused).as("RST_STREAM or GOAWAY").isNotNull();
                assertThat(refused.type() == RawH2.GOAWAY || refused.streamId() > 2 * 128).isTrue();
            }
            harness.assertUpstreamReceivedNothing();
        });
        add(rows, "HTTP/2 PING flood (CVE-2019-9512) closes the connection", () -> {
            try (RawH2 h2 = openH2()) {
                flood(h2, streamId -> h2.frame(RawH2.PING, 0, 0, new byte[8]));
                assertCalmedDown(h2.awaitGoAway());
            }
            harness.assertUpstreamReceivedNothing();
        });
        add(rows, "HTTP/2 SETTINGS flood (CVE-2019-9515) closes the connection", () -> {
            try (RawH2 h2 = openH2()) {
                flood(h2, streamId -> h2.frame(RawH2.SETTINGS, 0, 0, new byte[0]));
                assertCalmedDown(h2.awaitGoAway());
            }
            harness.assertUpstreamReceivedNothing();
        });
        add(rows, "HTTP/2 CONTINUATION flood (CVE-2024-27316 class) closes the connection", () -> {
            try (RawH2 h2 = openH2()) {
                String authority = harness.httpsAuthority("api.example.test");
                h2.frame(RawH2.HEADERS, 0, 1, RawH2.requestHeaders("GET", authority, "/continued"));
                flood(h2, index -> {
                    ByteArrayOutputStream block = new ByteArrayOutputStream();
                    RawH2.literal(block, "x-fill-" + index, "f".repeat(1000));
                    h2.frame(RawH2.CONTINUATION, 0, 1, block.toByteArray());
                });
                // Returns only once the proxy has ended the connection; one that kept buffering the header block
                // would let the read time out and fail the row.
                h2.awaitGoAway();
            }
            harness.assertUpstreamReceivedNothing();
        });
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void limitsHoldAgainstAbusiveClients(String name, Scenario scenario) throws Exception {
        scenario.run();
    }

    /** A chain that answers every request itself with 403, so that nothing it sees goes upstream. */
    private static Filter answerLocally() {
        return TestFilters.deciding(request -> Decision.deny("answered_locally", null));
    }

    private static void add(List<Arguments> rows, String name, Scenario scenario) {
        rows.add(Arguments.of(name, scenario));
    }

    private static BypassHarness.Outcome tunnel(String raw) throws Exception {
        return harness.tunnel(box, harness.httpsAuthority("api.example.test"), "api.example.test", raw);
    }

    private static String plainGet(String path, String field) {
        String authority = harness.httpAuthority("api.example.test");
        return "GET http://" + authority + path + " HTTP/1.1\r\nHost: " + authority + "\r\nProxy-Authorization: "
                + box.proxyAuthorization() + "\r\n" + (field == null ? "" : field + "\r\n") + "\r\n";
    }

    private static String tunnelGet(String path, String field) {
        return "GET " + path + " HTTP/1.1\r\nHost: " + harness.httpsAuthority("api.example.test") + "\r\n"
                + (field == null ? "" : field + "\r\n") + "\r\n";
    }

    private static String plainPost(String framing, String body) {
        String authority = harness.httpAuthority("api.example.test");
        return "POST http://" + authority + "/upload HTTP/1.1\r\nHost: " + authority + "\r\nProxy-Authorization: "
                + box.proxyAuthorization() + "\r\n" + framing + "\r\n\r\n" + body;
    }

    private static String tunnelPost(String framing, String body) {
        return "POST /upload HTTP/1.1\r\nHost: " + harness.httpsAuthority("api.example.test") + "\r\n" + framing
                + "\r\n\r\n" + body;
    }

    private static String manyFields() {
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            fields.append(i == 0 ? "" : "\r\n").append("X-F").append(i).append(": v");
        }
        return fields.toString();
    }

    private static String chunks(int count, int size) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < count; i++) {
            body.append(Integer.toHexString(size)).append("\r\n").append("c".repeat(size)).append("\r\n");
        }
        return body.append("0\r\n\r\n").toString();
    }

    /** Sends {@code raw} one byte every 200 ms until the proxy stops accepting, then reads its answer. */
    private static BypassHarness.Outcome trickle(OutputStream out, InputStream in, String raw) throws Exception {
        for (byte b : raw.getBytes(StandardCharsets.ISO_8859_1)) {
            try {
                out.write(b);
                out.flush();
            } catch (IOException e) {
                break;
            }
            Thread.sleep(200);
        }
        return BypassHarness.read(in);
    }

    private static List<RawTunnel> holdTunnels(ProxyFixture.Credentials credentials, int count) throws Exception {
        List<RawTunnel> held = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RawTunnel tunnel = RawTunnel.connect(harness.proxy.port(), harness.httpsAuthority("api.example.test"),
                    credentials);
            held.add(tunnel);
            assertThat(tunnel.connectReply().status()).isEqualTo(200);
            // Held tunnels stay open for the header-read timeout after their request, long enough for a row.
            tunnel.startTls(harness.proxy.clientSslContext(), "api.example.test");
            assertThat(tunnel.get("/held", harness.httpsAuthority("api.example.test")).status()).isEqualTo(403);
        }
        return held;
    }

    private static void closeAll(List<RawTunnel> tunnels) throws IOException {
        for (RawTunnel tunnel : tunnels) {
            tunnel.close();
        }
    }

    /** The proxy ended the flooded connection: GOAWAY ENHANCE_YOUR_CALM, or a close that hid it. */
    private static void assertCalmedDown(RawH2.Frame goAway) {
        if (goAway != null) {
            assertThat(goAway.errorCode()).isEqualTo(RawH2.ENHANCE_YOUR_CALM);
        }
    }

    private static RawH2 openH2() throws Exception {
        return RawH2.open(harness.proxy.port(), harness.httpsAuthority("api.example.test"), "api.example.test",
                localAnswers, harness.proxy.clientSslContext());
    }

    /** One step of a flood, given a running index (an odd stream id where one is needed). */
    @FunctionalInterface
    private interface FloodStep {
        void write(int streamId) throws IOException;
    }

    /** Writes 2,000 flood steps, stopping quietly when the proxy closes the connection. */
    private static void flood(RawH2 h2, FloodStep step) {
        try {
            for (int i = 0; i < 2000; i++) {
                step.write(2 * i + 1);
                if (i % 50 == 49) {
                    h2.flush();
                }
            }
            h2.flush();
        } catch (IOException e) {
            // Closed by the proxy mid-flood: what the row expects.
        }
    }

    /** Writes into a tunnel's current layer. */
    private static final class TunnelBytes extends OutputStream {

        private final RawTunnel tunnel;

        TunnelBytes(RawTunnel tunnel) {
            this.tunnel = tunnel;
        }

        @Override
        public void write(int b) throws IOException {
            tunnel.write(String.valueOf((char) b));
        }
    }
}
