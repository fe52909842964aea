package dev.chaperone.server.proxy;

import java.util.Optional;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;

import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import dev.chaperone.server.tls.MintingKeyManager;

/**
 * The TLS connection the proxy terminates inside a {@code CONNECT} tunnel. It carries the {@link TunnelTarget},
 * so that each request decrypted from it can be checked against the target it was admitted for; a
 * request finds it through its connection's end point, which a client cannot forge.
 */
final class InterceptedTlsConnection extends SslConnection {

    private final TunnelTarget tunnel;
    private volatile boolean handshakeDone;
    private volatile Optional<String> serverName;

    InterceptedTlsConnection(ByteBufferPool bufferPool, Executor executor, SslContextFactory sslContextFactory,
            EndPoint clientEndPoint, SSLEngine engine, TunnelTarget tunnel) {
        super(bufferPool, executor, sslContextFactory, clientEndPoint, engine);
        this.tunnel = tunnel;
    }

    TunnelTarget tunnel() {
        return tunnel;
    }

    /**
     * The server name the client sent in its handshake, in canonical form (see
     * {@link MintingKeyManager#requestedServerName}). Read from the session once: renegotiation is off, so it
     * cannot change, and every request in the tunnel is checked against it.
     */
    Optional<String> serverName() {
        Optional<String> name = serverName;
        if (name == null) {
            name = MintingKeyManager.requestedServerName(getSSLEngine().getSession());
            serverName = name;
        }
        return name;
    }

    boolean isHandshakeDone() {
        return handshakeDone;
    }

    void markHandshakeDone() {
        handshakeDone = true;
    }

    /** The intercepted connection a decrypted end point belongs to, or {@code null} for any other end point. */
    static InterceptedTlsConnection of(EndPoint endPoint) {
        if (endPoint instanceof SslConnection.SslEndPoint sslEndPoint
                && sslEndPoint.getSslConnection() instanceof InterceptedTlsConnection intercepted) {
            return intercepted;
        }
        return null;
    }
}
