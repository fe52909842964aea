package dev.chaperone.server.testing;

import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
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
 * An HTTPS upstream for tests with a handler of the test's own, for what WireMock cannot do (such as
 * holding a response open until the test says so). It presents {@link TestCertificates}'s server
 * certificate and speaks HTTP/2 or HTTP/1.1 as ALPN decides.
 */
public final class TestUpstream implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;

    private TestUpstream(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** Starts the upstream on 127.0.0.1, port 0. */
    public static TestUpstream start(TestCertificates certificates, Handler handler) throws Exception {
        Server server = new Server();
        ServerConnector connector = httpsConnector(server, certificates);
        server.addConnector(connector);
        server.setHandler(handler);
        server.start();
        return new TestUpstream(server, connector);
    }

    /** A handler that answers every request with 200 and {@code body}. */
    public static Handler answering(String body) {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.write(true, StandardCharsets.UTF_8.encode(body), callback);
                return true;
            }
        };
    }

    /**
     * An HTTPS connector on 127.0.0.1, port 0, presenting the certificates' server certificate and offering
     * h2 and http/1.1 by ALPN; not yet added to {@code server}.
     */
    public static ServerConnector httpsConnector(Server server, TestCertificates certificates) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(certificates.keyStore().toString());
        tls.setKeyStorePassword(TestCertificates.PASSWORD);
        tls.setKeyStoreType("PKCS12");
        HttpConfiguration configuration = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        configuration.addCustomizer(secure);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol("http/1.1");
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn,
                new HTTP2ServerConnectionFactory(configuration), new HttpConnectionFactory(configuration));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        return connector;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** How many client connections the upstream has open. */
    public int openConnections() {
        return connector.getConnectedEndPoints().size();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop", e);
        }
    }
}
