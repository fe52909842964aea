package dev.chaperone.loaddriver;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The server at the far end of every benchmark: answers any request with 200 and the same small body, over
 * HTTPS (HTTP/2 or HTTP/1.1 by ALPN) and optionally plain HTTP, on loopback. It does as little as possible so
 * that what the figures show is the client, the proxy and the network stack.
 */
final class UpstreamServer implements AutoCloseable {
    /** The names the server certificate is valid for; the benchmarks use {@code bench.test} and its subdomains. */
    static final List<String> CERTIFICATE_NAMES = List.of("bench.test", "*.bench.test", "localhost");

    private final Server server;
    private final ServerConnector https;
    private final ServerConnector http;
    private final UpstreamCertificates certificates;

    /**
     * @param bodyBytes size of every response body
     * @param withPlainHttp whether to open a plain HTTP port beside the HTTPS one
     * @param idleTimeout how long an idle connection stays open (idle-hold needs it long)
     */
    UpstreamServer(int bodyBytes, boolean withPlainHttp, Duration idleTimeout) {
        if (bodyBytes < 0) {
            throw new IllegalArgumentException("bodyBytes must not be negative");
        }
        certificates = UpstreamCertificates.generate(CERTIFICATE_NAMES);
        server = new Server();

        HttpConfiguration httpConfig = new HttpConfiguration();
        httpConfig.setSendServerVersion(false);
        httpConfig.setSendDateHeader(false);
        HttpConfiguration httpsConfig = new HttpConfiguration(httpConfig);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Proxies connect with the SNI of the name they were asked for; the benchmark does not test SNI checks.
        secure.setSniHostCheck(false);
        httpsConfig.addCustomizer(secure);

        char[] password = "upstream".toCharArray();
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(certificates.serverKeyStore(password));
        tls.setKeyStorePassword(new String(password));
        HttpConnectionFactory http11 = new HttpConnectionFactory(httpsConfig);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(httpsConfig);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol(http11.getProtocol());
        https = new ServerConnector(server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, h2, http11);
        configure(https, idleTimeout);
        server.addConnector(https);

        if (withPlainHttp) {
            http = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
            configure(http, idleTimeout);
            server.addConnector(http);
        } else {
            http = null;
        }

        byte[] body = new byte[bodyBytes];
        Arrays.fill(body, (byte) 'x');
        server.setHandler(new FixedResponseHandler(body));
    }

    private static void configure(ServerConnector connector, Duration idleTimeout) {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(idleTimeout.toMillis());
        // Thousands of idle-hold connections arrive in a burst.
        connector.setAcceptQueueSize(4_096);
    }

    void start() throws Exception {
        server.start();
    }

    int httpsPort() {
        return https.getLocalPort();
    }

    /** The plain HTTP port, or -1 when there is none. */
    int httpPort() {
        return http == null ? -1 : http.getLocalPort();
    }

    /** The CA certificate clients must trust to reach {@link #httpsPort()}. */
    String caPem() {
        return certificates.caPem();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Answers every request with 200 and the same body; the request body, if any, is not read. */
    private static final class FixedResponseHandler extends Handler.Abstract.NonBlocking {
        private final byte[] body;

        FixedResponseHandler(byte[] body) {
            this.body = body;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, MimeTypes.Type.TEXT_PLAIN.asString());
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
        }
    }

    /** The ports as {@code name=port} lines, the format of the port file that scripts read. */
    String portLines() {
        return "https=" + httpsPort() + "\n" + (http == null ? "" : "http=" + httpPort() + "\n");
    }
}
