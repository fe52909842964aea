package dev.chaperone.server;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.WindowRateControl;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.MemoryConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chaperone.server.audit.ProxyListener;
import dev.chaperone.server.instance.InstanceRegistry;
import dev.chaperone.server.proxy.JsonErrorHandler;
import dev.chaperone.server.proxy.ProxyAssembly;
import dev.chaperone.server.proxy.ProxyListeners;
import dev.chaperone.server.tls.CertificateAuthority;
import dev.chaperone.server.tls.HandshakeCryptoProvider;
import dev.chaperone.server.tls.LeafCertificates;
import dev.chaperone.server.tls.MintingKeyManager;
import dev.chaperone.server.upstream.HostsFileResolver;
import dev.chaperone.server.upstream.UpstreamClients;
import dev.chaperone.server.upstream.UpstreamTrust;

/**
 * The proxy as a Java API: the listener, TLS interception with the data directory's CA, the chains of the
 * registry's instances, and the upstream client. {@code main} and the admin API build on it; tests start it
 * on port 0.
 */
public final class ChaperoneServer {

    private static final Logger LOG = LoggerFactory.getLogger(ChaperoneServer.class);
    private static final Duration LEAF_VALIDITY = Duration.ofDays(2);
    private static final Duration DNS_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SHUTDOWN_IDLE_TIMEOUT = Duration.ofMillis(500);
    /** Streams one HTTP/2 client may have open at once inside a tunnel. */
    private static final int MAX_CONCURRENT_STREAMS = 128;
    /**
     * Suspicious HTTP/2 frames (resets, empty data, pings, settings, ...) per second after which Jetty answers
     * a client connection with GOAWAY ENHANCE_YOUR_CALM and closes it: the rapid-reset flood defence.
     */
    private static final int MAX_HTTP2_EVENT_RATE = 128;
    /**
     * RFC 9110 without its one leniency, a bare LF ending a header line: every real client sends CRLF, and a
     * parser that accepts both is one half of a request-smuggling pair.
     */
    private static final HttpCompliance CLIENT_HTTP_COMPLIANCE =
            HttpCompliance.RFC9110.without("RFC9110_STRICT", HttpCompliance.Violation.LF_HEADER_TERMINATION);

    private final ProxySettings settings;
    private final InstanceRegistry registry;
    private final ProxyListeners listeners;
    private final UnaryOperator<SocketAddressResolver> resolverWrapper;

    private Server server;
    private ServerConnector proxyConnector;
    private HttpClient upstream;
    private CertificateAuthority authority;

    /**
     * @param settings listener, data directory, upstream trust and limits
     * @param registry the instances to serve; changes take effect for the next request
     * @param listeners told about every exchange, connection and handshake
     * @param resolverWrapper wraps the resolver of upstream hosts (hosts file, then DNS), for example to refuse
     *     private addresses; the proxy connects to exactly the addresses the wrapped resolver returns
     */
    public ChaperoneServer(ProxySettings settings, InstanceRegistry registry, List<ProxyListener> listeners,
            UnaryOperator<SocketAddressResolver> resolverWrapper) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.listeners = new ProxyListeners(Objects.requireNonNull(listeners, "listeners"));
        this.resolverWrapper = Objects.requireNonNull(resolverWrapper, "resolverWrapper");
    }

    /** A server whose upstream addresses come from the hosts file and DNS without further checks. */
    public ChaperoneServer(ProxySettings settings, InstanceRegistry registry, List<ProxyListener> listeners) {
        this(settings, registry, listeners, UnaryOperator.identity());
    }

    /**
     * Loads or creates the CA, starts the upstream client and opens the listener.
     *
     * @throws IOException when the CA, hosts file or upstream CA file cannot be read or written
     * @throws IllegalStateException when already started
     */
    public synchronized void start() throws Exception {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        HandshakeCryptoProvider.install();
        authority = CertificateAuthority.loadOrCreate(settings.dataDir());
        SslContextFactory.Server interceptTls = interceptTls(authority);

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("chaperone-proxy");
        Server jetty = new Server(threads);
        jetty.addBean(interceptTls);
        jetty.setErrorHandler(new JsonErrorHandler());

        HttpConfiguration clientToProxy = httpConfiguration();
        // Requests are handled on the selector threads that read them (the handler never blocks), so there
        // is one selector per core.
        ServerConnector listener = new ServerConnector(jetty, -1, Runtime.getRuntime().availableProcessors(),
                new HttpConnectionFactory(clientToProxy));
        listener.setHost(settings.proxyHost());
        listener.setPort(settings.proxyPort());
        listener.setIdleTimeout(settings.idleTimeout().toMillis());

        HttpConfiguration inTunnel = httpConfiguration();
        HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(inTunnel);
        // Extended CONNECT (RFC 8441) would open a tunnel inside the tunnel that no filter sees.
        http2.setConnectProtocolEnabled(false);
        http2.setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS);
        http2.setRateControlFactory(new WindowRateControl.Factory(MAX_HTTP2_EVENT_RATE));
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol("http/1.1");
        MemoryConnector interception = new MemoryConnector(jetty, alpn, http2, new HttpConnectionFactory(inTunnel));
        interception.setIdleTimeout(settings.idleTimeout().toMillis());
        jetty.addConnector(listener);
        jetty.addConnector(interception);

        HttpClient client = upstreamClient();
        client.start();
        try {
            UpstreamClients.stripBehaviour(client);
            GracefulHandler graceful = new GracefulHandler(ProxyAssembly.handler(registry, listeners, interceptTls,
                    interception, alpn, listener, new ProxyAssembly.ClientLimits(settings.tlsHandshakeTimeout(),
                            settings.headerReadTimeout(), settings.maxBodySize(), settings.connectionsPerInstance()),
                    client, settings.upstreamIdleTimeout()));
            // Idle keep-alive tunnels would otherwise hold the stop for its whole timeout.
            graceful.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT.toMillis());
            jetty.setHandler(graceful);
            jetty.setStopTimeout(settings.stopTimeout().toMillis());
            jetty.start();
        } catch (Exception | Error e) {
            jetty.stop();
            client.stop();
            throw e;
        }
        upstream = client;
        server = jetty;
        proxyConnector = listener;
        LOG.info("Proxy listening on {}:{}", settings.proxyHost(), listener.getLocalPort());
    }

    /**
     * Stops accepting connections, lets running requests finish for up to the configured stop timeout, then
     * closes what is left and stops the upstream client. Does nothing when not started.
     */
    public synchronized void stop() throws Exception {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } finally {
            server = null;
            upstream.stop();
            upstream = null;
            LOG.info("Proxy stopped");
        }
    }

    /** The port the proxy listens on, as bound (useful with port 0). */
    public synchronized int proxyPort() {
        if (proxyConnector == null) {
            throw new IllegalStateException("not started");
        }
        return proxyConnector.getLocalPort();
    }

    /** The CA whose certificate sandboxes must trust; available once started. */
    public synchronized CertificateAuthority certificateAuthority() {
        if (authority == null) {
            throw new IllegalStateException("not started");
        }
        return authority;
    }

    /** The upstream client, resolving through the hosts file (if any), DNS and then the wrapper. */
    private HttpClient upstreamClient() throws IOException {
        QueuedThreadPool dnsThreads = new QueuedThreadPool(8, 1);
        dnsThreads.setName("chaperone-dns");
        ScheduledExecutorScheduler dnsScheduler = new ScheduledExecutorScheduler("chaperone-dns-timeout", true);
        SocketAddressResolver dns = new SocketAddressResolver.Async(dnsThreads, dnsScheduler, DNS_TIMEOUT.toMillis());
        SocketAddressResolver resolver = settings.hostsFile().isPresent()
                ? HostsFileResolver.load(settings.hostsFile().get(), dns)
                : dns;
        HttpClient client = UpstreamClients.create(UpstreamTrust.clientContext(settings.upstreamCaFile()),
                Objects.requireNonNull(resolverWrapper.apply(resolver), "wrapped resolver"),
                settings.upstreamConnectTimeout(), settings.upstreamPoolIdleTimeout(), settings.upstreamIdleTimeout());
        client.addBean(dnsThreads);
        client.addBean(dnsScheduler);
        return client;
    }

    private SslContextFactory.Server interceptTls(CertificateAuthority authority) throws GeneralSecurityException {
        LeafCertificates leaves = new LeafCertificates(authority, settings.leafCacheSize(), LEAF_VALIDITY,
                Clock.systemUTC());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new MintingKeyManager(leaves, listeners.all())}, null, null);
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setSslContext(context);
        factory.setRenegotiationAllowed(false);
        return factory;
    }

    private HttpConfiguration httpConfiguration() {
        HttpConfiguration configuration = new HttpConfiguration();
        configuration.setRequestHeaderSize(settings.maxRequestHeaderSize());
        configuration.setSendServerVersion(false);
        configuration.setSendXPoweredBy(false);
        configuration.setSendDateHeader(false);
        configuration.setIdleTimeout(settings.idleTimeout().toMillis());
        configuration.setHttpCompliance(CLIENT_HTTP_COMPLIANCE);
        configuration.setUriCompliance(UriCompliance.DEFAULT);
        return configuration;
    }
}
