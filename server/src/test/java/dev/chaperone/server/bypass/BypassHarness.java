package dev.chaperone.server.bypass;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;

import dev.chaperone.server.ProxySettings;
import dev.chaperone.server.net.AddressGuard;
import dev.chaperone.server.net.Cidr;
import dev.chaperone.server.net.ScriptedResolver;
import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.RawTunnel;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real proxy behind the address guard, a {@link ScriptedResolver} that is the only source of addresses,
 * and a recording {@link BypassUpstream}: what every bypass test needs. Test names resolve to 127.0.0.1,
 * the only network the guard lets through, so that the upstream is reachable and nothing else on loopback is.
 */
final class BypassHarness implements AutoCloseable {

    /** Names the resolver answers with the upstream's address. */
    static final List<String> UPSTREAM_NAMES = List.of("api.example.test", "other.example.test",
            "denied.example.test");

    /** How the proxy answered one raw request: a status, or {@link #CLOSED} when it closed without one. */
    record Outcome(int status, String head, String body) {

        static final int CLOSED = -1;

        static Outcome closed() {
            return new Outcome(CLOSED, "", "");
        }

        /** Whether the proxy refused: an error status, or a close without any answer. */
        boolean isErrorOrClose() {
            return status == CLOSED || status >= 400;
        }
    }

    final ProxyFixture proxy;
    final BypassUpstream upstream;
    final ScriptedResolver dns;

    private BypassHarness(ProxyFixture proxy, BypassUpstream upstream, ScriptedResolver dns) {
        this.proxy = proxy;
        this.upstream = upstream;
        this.dns = dns;
    }

    static BypassHarness start(Path workDir, UnaryOperator<ProxySettings> customise) throws Exception {
        ScriptedResolver dns = new ScriptedResolver();
        for (String name : UPSTREAM_NAMES) {
            dns.answer(name, "127.0.0.1");
        }
        ProxyFixture[] started = new ProxyFixture[1];
        ProxyFixture proxy = ProxyFixture.start(workDir, customise, resolver -> new AddressGuard(dns,
                Cidr.parseList("127.0.0.1/32"), () -> started[0] == null ? List.of()
                        : List.of(new InetSocketAddress("127.0.0.1", started[0].port()))));
        started[0] = proxy;
        BypassUpstream upstream = BypassUpstream.start(proxy.upstreamCertificates());
        return new BypassHarness(proxy, upstream, dns);
    }

    /** {@code host:port} of the upstream's HTTPS side under {@code host}. */
    String httpsAuthority(String host) {
        return host + ":" + upstream.httpsPort();
    }

    String httpAuthority(String host) {
        return host + ":" + upstream.httpPort();
    }

    /** Sends raw bytes to the proxy listener and reads the first answer. */
    Outcome plain(String raw) throws IOException {
        return plain(raw, 1).get(0);
    }

    /** Sends raw bytes to the proxy listener and reads {@code answers} answers (closes count as answers). */
    List<Outcome> plain(String raw, int answers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(20_000);
            return exchange(socket.getOutputStream(), socket.getInputStream(), raw, answers);
        }
    }

    /**
     * Opens a tunnel to {@code authority} as {@code credentials}, handshakes with {@code sni} and sends raw
     * bytes inside it; a refused CONNECT or handshake is the outcome itself.
     */
    Outcome tunnel(ProxyFixture.Credentials credentials, String authority, String sni, String raw)
            throws Exception {
        return tunnel(credentials, authority, sni, raw, 1).get(0);
    }

    /** As {@link #tunnel(ProxyFixture.Credentials, String, String, String)}, reading {@code answers} answers. */
    List<Outcome> tunnel(ProxyFixture.Credentials credentials, String authority, String sni, String raw,
            int answers) throws Exception {
        try (RawTunnel tunnel = RawTunnel.connect(proxy.port(), authority, credentials)) {
            RawTunnel.Reply connect = tunnel.connectReply();
            if (connect.status() != 200) {
                return List.of(new Outcome(connect.status(), "", connect.body()));
            }
            try {
                tunnel.startTls(proxy.clientSslContext(), sni);
            } catch (SSLException | SocketException e) {
                return List.of(Outcome.closed());
            }
            return exchange(new TunnelOutput(tunnel), tunnel.inputStream(), raw, answers);
        }
    }

    private static List<Outcome> exchange(OutputStream out, InputStream in, String raw, int answers)
            throws IOException {
        try {
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            // The proxy may refuse and close before it has read everything; its answer may still be there.
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < answers; i++) {
            Outcome outcome = read(in);
            outcomes.add(outcome);
            if (outcome.status() == Outcome.CLOSED) {
                break;
            }
        }
        return outcomes;
    }

    /** Reads one response head and a Content-Length body; a close before a status line is {@link Outcome#closed}. */
    static Outcome read(InputStream in) throws IOException {
        try {
            return readOrFail(in);
        } catch (SocketException | SSLException e) {
            return Outcome.closed();
        }
    }

    private static Outcome readOrFail(InputStream in) throws IOException {
        String head = readHead(in);
        while (head != null && head.startsWith("HTTP/1.1 1")) {
            head = readHead(in);
        }
        if (head == null) {
            return Outcome.closed();
        }
        int status = Integer.parseInt(head.split(" ", 3)[1]);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        String body = new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
        return new Outcome(status, head, body);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return matched < 4 ? null : head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Asserts that nothing reached the upstream, not even a request head. */
    void assertUpstreamReceivedNothing() {
        assertThat(upstream.started()).as("requests that reached the upstream").isZero();
    }

    /** Asserts that exactly one complete request reached the upstream, and returns it. */
    BypassUpstream.Received assertUpstreamReceivedOne() {
        assertThat(upstream.started()).as("requests that reached the upstream").isEqualTo(1);
        assertThat(upstream.completed()).hasSize(1);
        return upstream.completed().get(0);
    }

    @Override
    public void close() throws Exception {
        upstream.close();
        proxy.close();
    }

    /** Writes through a tunnel's current layer. */
    private static final class TunnelOutput extends OutputStream {

        private final RawTunnel tunnel;

        TunnelOutput(RawTunnel tunnel) {
            this.tunnel = tunnel;
        }

        @Override
        public void write(int b) throws IOException {
            tunnel.write(String.valueOf((char) b));
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            tunnel.write(new String(bytes, offset, length, StandardCharsets.ISO_8859_1));
        }
    }
}
