package dev.chaperone.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/2 frames written by hand inside an intercepted tunnel, for the floods no well-behaved client sends:
 * streams opened and reset at once, endless CONTINUATION frames, PING and SETTINGS storms. Header blocks
 * use HPACK literals without indexing, so no encoder state is needed. Also reads which frames the proxy
 * sends, for tests of how it frames a response.
 */
public final class RawH2 implements AutoCloseable {

    public static final int DATA = 0x0;
    public static final int HEADERS = 0x1;
    public static final int RST_STREAM = 0x3;
    public static final int SETTINGS = 0x4;
    public static final int PING = 0x6;
    public static final int GOAWAY = 0x7;
    public static final int CONTINUATION = 0x9;
    public static final int END_STREAM = 0x1;
    public static final int END_HEADERS = 0x4;
    public static final int REFUSED_STREAM = 0x7;
    public static final int ENHANCE_YOUR_CALM = 0xb;

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** A frame the proxy sent: its type, payload length and, for GOAWAY and RST_STREAM, the error code. */
    public record Frame(int type, int flags, int streamId, int length, int errorCode) {
    }

    private final Socket plain;
    private final SSLSocket tls;
    private final OutputStream out;
    private final DataInputStream in;

    private RawH2(Socket plain, SSLSocket tls) throws IOException {
        this.plain = plain;
        this.tls = tls;
        this.out = tls.getOutputStream();
        this.in = new DataInputStream(tls.getInputStream());
    }

    /** Opens a tunnel to {@code authority}, handshakes with ALPN h2 and sends the preface and empty SETTINGS. */
    public static RawH2 open(int proxyPort, String authority, String sni, ProxyFixture.Credentials credentials,
            SSLContext context) throws IOException {
        Socket socket = new Socket("127.0.0.1", proxyPort);
        socket.setSoTimeout(20_000);
        socket.getOutputStream().write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority
                + "\r\nProxy-Authorization: " + credentials.proxyAuthorization() + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        int connectStatus = readConnectStatus(socket.getInputStream());
        if (connectStatus != 200) {
            socket.close();
            throw new IOException("CONNECT answered " + connectStatus);
        }
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, sni, socket.getPort(), true);
        tls.setUseClientMode(true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(sni)));
        parameters.setApplicationProtocols(new String[] {"h2"});
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        if (!"h2".equals(tls.getApplicationProtocol())) {
            throw new IOException("the proxy did not choose h2 but " + tls.getApplicationProtocol());
        }
        RawH2 h2 = new RawH2(socket, tls);
        h2.out.write(PREFACE);
        h2.frame(SETTINGS, 0, 0, new byte[0]);
        return h2;
    }

    /** Reads the head of the proxy's answer to the CONNECT and returns its status; -1 when the proxy closed. */
    private static int readConnectStatus(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return matched < 4 ? -1 : Integer.parseInt(head.toString(StandardCharsets.ISO_8859_1).split(" ", 3)[1]);
    }

    /** An HPACK block of literal fields without indexing for a request to {@code authority}. */
    public static byte[] requestHeaders(String method, String authority, String path) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        literal(block, ":method", method);
        literal(block, ":scheme", "https");
        literal(block, ":authority", authority);
        literal(block, ":path", path);
        return block.toByteArray();
    }

    public static void literal(ByteArrayOutputStream block, String name, String value) {
        block.write(0);
        string(block, name);
        string(block, value);
    }

    private static void string(ByteArrayOutputStream block, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        if (bytes.length < 127) {
            block.write(bytes.length);
        } else {
            // HPACK integer with a 7-bit prefix.
            block.write(127);
            int rest = bytes.length - 127;
            while (rest >= 128) {
                block.write((rest & 0x7f) | 0x80);
                rest >>>= 7;
            }
            block.write(rest);
        }
        block.write(bytes, 0, bytes.length);
    }

    /** Buffers one frame; call {@link #flush} to send what was buffered. */
    public void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
        byte[] head = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                (byte) type, (byte) flags, (byte) (streamId >>> 24), (byte) (streamId >>> 16),
                (byte) (streamId >>> 8), (byte) streamId};
        out.write(head);
        out.write(payload);
    }

    public void flush() throws IOException {
        out.flush();
    }

    /**
     * Reads frames until a GOAWAY arrives (returned) or the proxy closes the connection ({@code null}). A
     * close may hide the GOAWAY before it: once the proxy has closed, the flood still being written makes
     * the client's TCP stack reset the connection and drop what it had not read. A proxy that neither sends
     * GOAWAY nor closes lets the socket's read timeout throw.
     */
    public Frame awaitGoAway() throws IOException {
        return awaitFrame(frame -> frame.type() == GOAWAY);
    }

    /** Reads frames until one matches (returned) or the connection ends ({@code null}). */
    public Frame awaitFrame(Predicate<Frame> wanted) throws IOException {
        try {
            while (true) {
                int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int streamId = in.readInt() & 0x7fffffff;
                byte[] payload = in.readNBytes(length);
                if (payload.length < length) {
                    return null;
                }
                int errorAt = type == GOAWAY ? 4 : type == RST_STREAM ? 0 : -1;
                int errorCode = errorAt < 0 || payload.length < errorAt + 4 ? 0
                        : (payload[errorAt] & 0xff) << 24 | (payload[errorAt + 1] & 0xff) << 16
                                | (payload[errorAt + 2] & 0xff) << 8 | payload[errorAt + 3] & 0xff;
                Frame frame = new Frame(type, flags, streamId, length, errorCode);
                if (wanted.test(frame)) {
                    return frame;
                }
            }
        } catch (EOFException | SocketException | SSLException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        tls.close();
        plain.close();
    }
}
