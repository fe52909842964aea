package dev.chaperone.server.proxy;

import java.time.Duration;

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
     */
    public static Handler handler(InstanceRegistry registry, ProxyListeners listeners,
            SslContextFactory.Server interceptTls, Connector interception, ALPNServerConnectionFactory alpn,
            Connector listener, Duration handshakeTimeout, HttpClient upstream) {
        ClientConnectionCounter counter = new ClientConnectionCounter(listeners);
        listener.addBean(counter);
        return new EgressHandler(registry, listeners, interceptTls, interception, alpn, handshakeTimeout,
                new UpstreamForwarder(upstream), counter);
    }
}
