package dev.chaperone.server.proxy;

import java.time.Duration;
import java.util.Objects;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import dev.chaperone.server.instance.InstanceRegistry;

/**
 * Builds the proxy's request handler from the parts {@link dev.chaperone.server.ChaperoneServer} owns, so
 * that the handler's collaborators can stay package-private.
 */
public final class ProxyAssembly {

    private ProxyAssembly() {
    }

    /**
     * The handler for every request of the proxy listener and of intercepted tunnels.
     *
     * @param listener the proxy listener, whose client connections are counted
     * @param limits the client-side limits the handler enforces
     * @param upstream the upstream client
     * @param upstreamIdleTimeout how long an upstream may stay silent during an exchange before it fails
     */
    public static Handler handler(InstanceRegistry registry, ProxyListeners listeners,
            SslContextFactory.Server interceptTls, Connector interception, ALPNServerConnectionFactory alpn,
            Connector listener, ClientLimits limits, HttpClient upstream, Duration upstreamIdleTimeout) {
        InstanceConnections instanceConnections = new InstanceConnections(limits.connectionsPerInstance());
        HeaderReadDeadline headerDeadline = new HeaderReadDeadline(listener.getScheduler(),
                limits.headerReadTimeout());
        ClientConnectionCounter counter = new ClientConnectionCounter(listeners, instanceConnections,
                headerDeadline);
        listener.addBean(counter);
        return new EgressHandler(registry, listeners, interceptTls, interception, alpn, limits,
                new UpstreamForwarder(upstream, limits.maxBodySize(), upstreamIdleTimeout), counter,
                instanceConnections, headerDeadline);
    }

    /**
     * What one client may use of the proxy.
     *
     * @param handshakeTimeout how long the TLS handshake inside a tunnel may take
     * @param headerReadTimeout how long a connection or tunnel may take to deliver its first request head
     * @param maxBodySize the most bytes of one request body
     * @param connectionsPerInstance how many client connections one instance may hold open
     */
    public record ClientLimits(Duration handshakeTimeout, Duration headerReadTimeout, long maxBodySize,
            int connectionsPerInstance) {

        public ClientLimits {
            Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
            Objects.requireNonNull(headerReadTimeout, "headerReadTimeout");
        }
    }
}
