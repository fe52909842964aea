package dev.chaperone.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A hand-driven client for what real clients never do: a CONNECT written byte by byte, a TLS handshake
 * with a chosen SNI (or none), and HTTP/1.1 requests with chosen {@code Host} headers on one connection.
 */
public final class RawTunnel implements AutoCloseable {

    private final Socket plain;
    private Socket current;

    /** A parsed HTTP/1.1 response. */
    public record Reply(int status, Map<String, String> headers, String body) {
    }

    private RawTunnel(Socket plain) {
        this.plain = plain;
        this.current = plain;
    }

    /** Opens a connection to the proxy and sends {@code CONNECT authority} with the credentials. */
    public static RawTunnel connect(int proxyPort, String authority, ProxyFixture.Credentials credentials)
            throws IOException {
        Socket socket = new Socket("127.0.0.1", proxyPort);
        socket.setSoTimeout(20_000);
        RawTunnel tunnel = new RawTunnel(socket);
        tunnel.write("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\nProxy-Authorization: "
                + credentials.proxyAuthorization() + "\r\n\r\n");
        return tunnel;
    }

    /**
     * Opens a connection to the proxy and sends {@code CONNECT authority} in the same write as the TLS
     * ClientHello, without waiting for the proxy's answer, then completes the handshake.
     *
     * @return the tunnel, ready for requests
     */
    public static RawTunnel connectPipelined(int proxyPort, String authority, ProxyFixture.Credentials credentials,
            SSLContext context, String sni) throws IOException {
        Socket socket = new Socket("127.0.0.1", proxyPort);
        socket.setSoTimeout(20_000);
        PipelinedConnectSocket pipelined = new PipelinedConnectSocket(socket, "CONNECT " + authority
                + " HTTP/1.1\r\nHost: " + authority + "\r\nProxy-Authorization: " + credentials.proxyAuthorization()
                + "\r\n\r\n");
        RawTunnel tunnel = new RawTunnel(pipelined);
        tunnel.startTls(context, sni);
        if (pipelined.connectStatus() != 200) {
            throw new IOException("the proxy answered CONNECT with " + pipelined.connectStatus());
        }
        return tunnel;
    }

    /** Reads the proxy's answer to the CONNECT (no body is read for a 200). */
    public Reply connectReply() throws IOException {
        return read(true);
    }

    /**
     * Starts TLS inside the tunnel.
     *
     * @param sni the server name to send, or {@code null} to send none
     * @throws javax.net.ssl.SSLException when the proxy refuses the handshake
     */
    public void startTls(SSLContext context, String sni) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", plain.getPort(), true);
        tls.setUseClientMode(true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        current = tls;
    }

    /** The stream of what the proxy sends on the current layer (plain before TLS, decrypted after). */
    public InputStream inputStream() throws IOException {
        return current.getInputStream();
    }

    /** Sends raw bytes as they are. */
    public void write(String raw) throws IOException {
        OutputStream out = current.getOutputStream();
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Sends {@code GET target} with the given {@code Host} header and reads the response. */
    public Reply get(String target, String host) throws IOException {
        write("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
        return read(false);
    }

    /** Reads one response; the body by Content-Length or chunked coding. */
    public Reply read(boolean connectReply) throws IOException {
        InputStream in = current.getInputStream();
        String statusLine = readLine(in);
        if (statusLine == null) {
            throw new IOException("the connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        if (connectReply && status == 200) {
            return new Reply(status, headers, "");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            while (true) {
                int size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16);
                if (size == 0) {
                    readLine(in);
                    break;
                }
                body.write(in.readNBytes(size));
                readLine(in);
            }
        }
        return new Reply(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        current.close();
        plain.close();
    }
}
