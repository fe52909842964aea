package dev.chaperone.server.upstream;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Makes the HTTP client of the proxy-to-server leg: HTTP/1.1 or HTTP/2 as the upstream's ALPN chooses
 * (never h2c towards cleartext upstreams), certificates verified, and nothing added or handled on the
 * sandbox's behalf (no cookies, redirects, authentication, decompression or default headers).
 */
public final class UpstreamClients {

    private UpstreamClients() {
    }

    /**
     * A new, not yet started client.
     *
     * @param tls the TLS context that verifies upstream certificates
     * @param resolver resolves upstream hosts; the client connects to exactly the addresses it returns
     * @param poolIdleTimeout how long an HTTP/1.1 connection with no exchange on it is kept for reuse, and a
     *     destination (upstream host and port) after its last connection closed. An exchange sets its own idle
     *     timeout on its request, which holds while it runs.
     * @param exchangeIdleTimeout the idle timeout of HTTP/2 connections, which Jetty closes when their session
     *     has been idle for it even while a stream waits for its response; so it has to be as long as the
     *     longest silence an exchange may have
     */
    public static HttpClient create(SslContextFactory.Client tls, SocketAddressResolver resolver,
            Duration connectTimeout, Duration poolIdleTimeout, Duration exchangeIdleTimeout) {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(resolver, "resolver");
        long http2IdleTimeout = Math.max(poolIdleTimeout.toMillis(), exchangeIdleTimeout.toMillis());
        ClientConnector connector = new ClientConnector();
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("chaperone-upstream");
        connector.setExecutor(threads);
        // Responses are handled on the selector threads that read them: one selector per core.
        connector.setSelectors(Runtime.getRuntime().availableProcessors());
        connector.setSslContextFactory(tls);
        connector.setConnectTimeout(connectTimeout);
        connector.setIdleTimeout(poolIdleTimeout);
        HTTP2Client http2 = new HTTP2Client(connector);
        UpstreamTransport transport = new UpstreamTransport(connector,
                HttpClientConnectionFactory.HTTP11, new ClientConnectionFactoryOverHTTP2.HTTP2(http2));
        // The proxy's response listeners never block, so responses are handled on the thread that read
        // them rather than handed to another one.
        transport.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        transport.connectionListeners().addBean(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                if (connection instanceof HTTP2Connection) {
                    connection.getEndPoint().setIdleTimeout(http2IdleTimeout);
                }
            }
        });
        HttpClient client = new HttpClient(transport);
        client.setSocketAddressResolver(resolver);
        client.setConnectTimeout(connectTimeout.toMillis());
        client.setIdleTimeout(poolIdleTimeout.toMillis());
        // A destination (one per upstream host and port) lives on after its connections have closed unless it
        // is told to go. Left alone, a sandbox that reaches many hosts grows the client without bound.
        client.setDestinationIdleTimeout(poolIdleTimeout.toMillis());
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setUserAgentField(null);
        client.setDefaultRequestContentType(null);
        return client;
    }

    /**
     * The transport of the upstream client, which hands new connections their listeners without walking the
     * client's components.
     *
     * <p>Jetty's connection factories give every new connection (TLS, ALPN, then HTTP/1.1 or HTTP/2) the
     * event listeners registered on the container they find in the connection's context, normally the client
     * itself. They find them by walking all its components, and the client has one for every destination
     * (upstream host and port) it still knows. A destination lives for the pool idle timeout after its last
     * connection, so a proxy that reaches a few dozen new hosts a second knows a thousand or more. The walks then
     * made a new upstream connection cost milliseconds more CPU. This transport puts a container of its
     * own in the context instead, which holds the connection listeners and nothing else.
     */
    static final class UpstreamTransport extends HttpClientTransportDynamic {

        /** The context key under which the connection factories look for the listeners' container. */
        static final String LISTENERS_CONTEXT_KEY = HttpClient.class.getName();

        private final ContainerLifeCycle connectionListeners = new ContainerLifeCycle();

        UpstreamTransport(ClientConnector connector, ClientConnectionFactory.Info... protocols) {
            super(connector, protocols);
        }

        /** The container whose {@link java.util.EventListener}s every new upstream connection is given. */
        ContainerLifeCycle connectionListeners() {
            return connectionListeners;
        }

        @Override
        public void connect(SocketAddress address, Map<String, Object> context) {
            context.put(LISTENERS_CONTEXT_KEY, connectionListeners);
            super.connect(address, context);
        }
    }

    /** Removes what the client would otherwise do for its caller; call after {@code start()}. */
    public static void stripBehaviour(HttpClient client) {
        client.getContentDecoderFactories().clear();
        client.getProtocolHandlers().clear();
    }
}
