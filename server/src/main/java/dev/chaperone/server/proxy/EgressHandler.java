package dev.chaperone.server.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.TunnelSupport;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chaperone.server.chain.CompiledChain;
import dev.chaperone.server.instance.Instance;
import dev.chaperone.server.instance.InstanceRegistry;
import dev.chaperone.spi.ConnectRequest;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.Headers;
import dev.chaperone.spi.HostNames;
import dev.chaperone.spi.HttpPaths;

/**
 * Every request the proxy receives comes here: {@code CONNECT}s (identify, admit, intercept), requests
 * decrypted from a tunnel, and plain absolute-form {@code http://} requests. Each request is identified
 * again, checked against its tunnel's target, run through its instance's chain and, when allowed,
 * forwarded.
 *
 * <p>The handler never waits: filters must not block (the SPI says so), answers and forwarding are
 * asynchronous, and the one step that waits on the client, reading a whole body for a chain that asks for
 * it, is handed to the thread pool. It is therefore declared non-blocking, which lets Jetty run it on the
 * thread that read the request instead of waking another thread for every request.
 */
public final class EgressHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(EgressHandler.class);
    private static final String REALM = "Basic realm=\"chaperone\"";
    private static final int ACQUIRE_ATTEMPTS = 3;

    private final InstanceRegistry registry;
    private final ProxyListeners listeners;
    private final SslContextFactory.Server interceptTls;
    private final Connector interceptConnector;
    private final ALPNServerConnectionFactory alpn;
    private final Duration handshakeTimeout;
    private final long maxBodySize;
    private final UpstreamForwarder forwarder;
    private final ClientConnectionCounter connectionCounter;
    private final InstanceConnections instanceConnections;
    private final HeaderReadDeadline headerDeadline;

    /**
     * @param interceptTls the TLS context whose key manager mints leaves for tunnel hosts
     * @param interceptConnector the never-connected connector holding the HTTP factories of tunnels
     * @param alpn the ALPN factory of {@code interceptConnector}
     */
    EgressHandler(InstanceRegistry registry, ProxyListeners listeners, SslContextFactory.Server interceptTls,
            Connector interceptConnector, ALPNServerConnectionFactory alpn, ProxyAssembly.ClientLimits limits,
            UpstreamForwarder forwarder, ClientConnectionCounter connectionCounter,
            InstanceConnections instanceConnections, HeaderReadDeadline headerDeadline) {
        super(InvocationType.NON_BLOCKING);
        this.registry = Objects.requireNonNull(registry, "registry");
        this.listeners = Objects.requireNonNull(listeners, "listeners");
        this.interceptTls = Objects.requireNonNull(interceptTls, "interceptTls");
        this.interceptConnector = Objects.requireNonNull(interceptConnector, "interceptConnector");
        this.alpn = Objects.requireNonNull(alpn, "alpn");
        this.handshakeTimeout = limits.handshakeTimeout();
        this.maxBodySize = limits.maxBodySize();
        this.forwarder = Objects.requireNonNull(forwarder, "forwarder");
        this.connectionCounter = Objects.requireNonNull(connectionCounter, "connectionCounter");
        this.instanceConnections = Objects.requireNonNull(instanceConnections, "instanceConnections");
        this.headerDeadline = Objects.requireNonNull(headerDeadline, "headerDeadline");
    }

    @Override
    public boolean handle(Request request, Response response, Callback exchangeDone) {
        EndPoint clientEndPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        headerDeadline.disarm(clientEndPoint);
        InterceptedTlsConnection tls = InterceptedTlsConnection.of(clientEndPoint);
        boolean connect = tls == null && HttpMethod.CONNECT.is(request.getMethod());
        Callback callback = exchangeDone;
        if (!connect && request.getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_2) {
            callback = headerDeadline.rearmBefore(exchangeDone, clientEndPoint);
        }
        Exchange exchange = newExchange(request, connect ? "connect" : "request",
                tls != null || connect ? "https" : "http");
        try {
            if (tls != null) {
                handleInTunnel(exchange, tls, request, response, callback);
            } else if (connect) {
                handleConnect(exchange, request, response, callback);
            } else {
                handlePlain(exchange, request, response, callback);
            }
        } catch (RuntimeException e) {
            failUnexpectedly(exchange, response, callback, e);
        }
        return true;
    }

    /** A bug of ours must not leak the chain reference or let the request through: fail closed. */
    private static void failUnexpectedly(Exchange exchange, Response response, Callback callback, RuntimeException e) {
        LOG.warn("{} failed unexpectedly in the proxy: {}", exchange.requestId, e.toString());
        if (response.isCommitted()) {
            exchange.finish(0);
            callback.failed(e);
        } else {
            response.getHeaders().clear();
            Answers.finish(exchange, response, callback,
                    Answers.Answer.of(500, "internal_error", "proxy_failure", null), "failed");
        }
    }

    private void handleConnect(Exchange exchange, Request request, Response response, Callback callback) {
        HttpURI uri = request.getHttpURI();
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        String host;
        try {
            host = HostNames.normalize(uri.getHost());
        } catch (IllegalArgumentException e) {
            reject(exchange, response, callback, 400, "bad_request", "invalid_host", e.getMessage());
            return;
        }
        exchange.host = host;
        exchange.port = uri.getPort();
        if (uri.getPort() < 1 || uri.getPort() > 65535) {
            reject(exchange, response, callback, 400, "bad_request", "invalid_port", "CONNECT needs host:port");
            return;
        }

        Optional<ProxyCredentials> credentials = ProxyCredentials.parse(
                request.getHeaders().get(HttpHeader.PROXY_AUTHORIZATION));
        if (!acquire(exchange, credentials.map(ProxyCredentials::instanceId).orElse(null),
                credentials.map(ProxyCredentials::token).orElse(null))) {
            unauthenticated(exchange, response, callback);
            return;
        }

        Answers.Answer refusal = admit(exchange, true);
        CompiledChain chain = exchange.chain;
        if (refusal != null) {
            answer(exchange, response, callback, refusal);
            return;
        }
        exchange.chain = null;
        chain.release();

        TunnelSupport tunnelSupport = request.getTunnelSupport();
        if (tunnelSupport == null) {
            reject(exchange, response, callback, 501, "not_implemented", "tunnel_unsupported",
                    "this connection cannot carry a tunnel");
            return;
        }
        if (!instanceConnections.claim(exchange.instanceId, tunnelSupport.getEndPoint())) {
            answer(exchange, response, callback, tooManyConnections());
            return;
        }
        TunnelTarget tunnel = new TunnelTarget(exchange.instanceId, credentials.get().token(), host, exchange.port);
        InterceptedTlsConnection tls = intercept(tunnelSupport.getEndPoint(), tunnel);
        LOG.debug("{} tunnel opened to {}", exchange.requestId, tunnel);
        request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, tls);
        response.getHeaders().remove(HttpHeader.CONNECTION);
        response.getHeaders().put(HttpFields.CONTENT_LENGTH_0);
        response.setStatus(200);
        callback.succeeded();
    }

    /**
     * Terminates TLS on the tunnel: an engine made for the CONNECT host (so the key manager mints a leaf for
     * it and only for it), ALPN h2 or http/1.1 on the decrypted side, served by the intercept connector's
     * factories.
     */
    private InterceptedTlsConnection intercept(EndPoint clientEndPoint, TunnelTarget tunnel) {
        SSLEngine engine = interceptTls.getSslContext().createSSLEngine(tunnel.host(), tunnel.port());
        engine.setUseClientMode(false);
        interceptTls.customize(engine);
        InterceptedTlsConnection tls = new InterceptedTlsConnection(interceptConnector.getByteBufferPool(),
                interceptConnector.getExecutor(), interceptTls, clientEndPoint, engine, tunnel);
        tls.setRenegotiationAllowed(false);
        tls.addEventListener(connectionCounter);
        tls.addHandshakeListener(new SslHandshakeListener() {
            @Override
            public void handshakeSucceeded(Event event) {
                tls.markHandshakeDone();
                headerDeadline.arm(tls.getSslEndPoint());
                listeners.tlsHandshake(true);
            }

            @Override
            public void handshakeFailed(Event event, Throwable failure) {
                tls.markHandshakeDone();
                LOG.debug("TLS handshake in {} failed: {}", tunnel, failure.toString());
                listeners.tlsHandshake(false);
            }
        });
        EndPoint decrypted = tls.getSslEndPoint();
        Connection negotiation = alpn.newConnection(interceptConnector, decrypted);
        decrypted.setConnection(negotiation);
        interceptConnector.getScheduler().schedule(() -> {
            if (!tls.isHandshakeDone()) {
                LOG.debug("TLS handshake in {} timed out", tunnel);
                clientEndPoint.close();
            }
        }, handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        return tls;
    }

    private void handleInTunnel(Exchange exchange, InterceptedTlsConnection tls, Request request, Response response,
            Callback callback) {
        TunnelTarget tunnel = tls.tunnel();
        exchange.instanceId = tunnel.instanceId();
        exchange.host = tunnel.host();
        exchange.port = tunnel.port();
        if (HttpMethod.CONNECT.is(request.getMethod())) {
            reject(exchange, response, callback, 405, "method_not_allowed", "connect_in_tunnel",
                    "CONNECT is not accepted inside a tunnel");
            return;
        }
        String mismatch = identityMismatch(tls, request);
        if (mismatch != null) {
            LOG.debug("{} misdirected request in {}: {}", exchange.requestId, tunnel, mismatch);
            reject(exchange, response, callback, 421, "misdirected_request", mismatch,
                    "requests in this tunnel must name " + tunnel.authority());
            return;
        }
        process(exchange, request, response, callback, tunnel.instanceId(), tunnel.token(), false);
    }

    /**
     * Why a request inside a tunnel does not belong to it, or {@code null} when it does: the SNI of the
     * handshake, the request target's authority ({@code :authority} or absolute-form) and the {@code Host}
     * header must all name the CONNECT target.
     */
    private static String identityMismatch(InterceptedTlsConnection tls, Request request) {
        TunnelTarget tunnel = tls.tunnel();
        Optional<String> sni = tls.serverName();
        if (sni.isPresent() ? !sni.get().equals(tunnel.host()) : !HostNames.isIpLiteral(tunnel.host())) {
            return "sni_mismatch";
        }
        HttpURI uri = request.getHttpURI();
        if (uri.getScheme() != null && !uri.getScheme().equalsIgnoreCase("https")) {
            return "scheme_mismatch";
        }
        if (uri.getHost() == null || !sameAuthority(tunnel, uri.getHost(), uri.getPort())) {
            return "authority_mismatch";
        }
        List<String> hostHeaders = request.getHeaders().getValuesList(HttpHeader.HOST);
        if (hostHeaders.size() > 1) {
            return "host_mismatch";
        }
        if (hostHeaders.size() == 1) {
            Authority host = Authority.parse(hostHeaders.get(0));
            if (host == null || !sameAuthority(tunnel, host.host(), host.port())) {
                return "host_mismatch";
            }
        }
        return null;
    }

    private static boolean sameAuthority(TunnelTarget tunnel, String rawHost, int port) {
        boolean samePort = port == tunnel.port() || port <= 0 && tunnel.port() == 443;
        if (rawHost.equals(tunnel.host())) {
            // Already in the canonical form, which normalising leaves as it is: most clients repeat the
            // CONNECT host verbatim, and this check runs on every request of the tunnel.
            return samePort;
        }
        try {
            if (!HostNames.normalize(rawHost).equals(tunnel.host())) {
                return false;
            }
        } catch (IllegalArgumentException e) {
            return false;
        }
        return samePort;
    }

    private void handlePlain(Exchange exchange, Request request, Response response, Callback callback) {
        HttpURI uri = request.getHttpURI();
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("http") || uri.getHost() == null) {
            reject(exchange, response, callback, 400, "bad_request", "not_a_proxy_request",
                    "send CONNECT for https, or an absolute-form http:// request");
            return;
        }
        try {
            exchange.host = HostNames.normalize(uri.getHost());
        } catch (IllegalArgumentException e) {
            reject(exchange, response, callback, 400, "bad_request", "invalid_host", e.getMessage());
            return;
        }
        exchange.port = uri.getPort() > 0 ? uri.getPort() : 80;
        Optional<ProxyCredentials> credentials = ProxyCredentials.parse(
                request.getHeaders().get(HttpHeader.PROXY_AUTHORIZATION));
        process(exchange, request, response, callback, credentials.map(ProxyCredentials::instanceId).orElse(null),
                credentials.map(ProxyCredentials::token).orElse(null), true);
    }

    /**
     * Why the framing or protocol of a request is refused before any filter sees it, or {@code null}. Jetty's
     * parser has already refused what RFC 9110 forbids; what is left is legal HTTP that the proxy will not
     * pass on: a transfer coding besides {@code chunked} (Jetty removes the chunking and would pass the rest
     * of the coded body on as if it were plain), a switch to cleartext HTTP/2 that no filter could follow,
     * and bodies over the limit.
     */
    private Answers.Answer framingRefusal(Request request) {
        HttpFields fields = request.getHeaders();
        List<String> codings = fields.getCSV(HttpHeader.TRANSFER_ENCODING, false);
        if (!codings.isEmpty() && !(codings.size() == 1 && codings.get(0).equalsIgnoreCase("chunked"))) {
            return Answers.Answer.of(501, "not_implemented", "transfer_coding",
                    "only the chunked transfer coding is accepted");
        }
        if (fields.contains(HttpHeader.HTTP2_SETTINGS) || fields.contains(HttpHeader.UPGRADE, "h2c")) {
            return Answers.Answer.of(400, "bad_request", "h2c_upgrade",
                    "upgrading to cleartext HTTP/2 through the proxy is not supported");
        }
        if (request.getLength() > maxBodySize) {
            return bodyTooLarge(maxBodySize);
        }
        return null;
    }

    static Answers.Answer bodyTooLarge(long limit) {
        return Answers.Answer.of(413, "payload_too_large", "body_too_large",
                "the body is larger than the proxy accepts (" + limit + " bytes)");
    }

    private static Answers.Answer tooManyConnections() {
        return Answers.Answer.of(429, "too_many_requests", "connections_per_instance",
                "this instance holds as many connections to the proxy as it may");
    }

    /** Identifies, runs the chain and forwards one request whose target is already known and checked. */
    private void process(Exchange exchange, Request request, Response response, Callback callback,
            String instanceId, String token, boolean admitFirst) {
        if (!acquire(exchange, instanceId, token)) {
            unauthenticated(exchange, response, callback);
            return;
        }
        if (admitFirst) {
            Answers.Answer refusal = admit(exchange, false);
            if (refusal != null) {
                answer(exchange, response, callback, refusal);
                return;
            }
            EndPoint clientEndPoint = request.getConnectionMetaData().getConnection().getEndPoint();
            if (!instanceConnections.claim(exchange.instanceId, clientEndPoint)) {
                answer(exchange, response, callback, tooManyConnections());
                return;
            }
        }
        Answers.Answer framing = framingRefusal(request);
        if (framing != null) {
            answer(exchange, response, callback, framing);
            return;
        }

        String path;
        try {
            path = HttpPaths.normalize(request.getHttpURI().getPath());
        } catch (IllegalArgumentException e) {
            reject(exchange, response, callback, 400, "bad_request", "invalid_path", e.getMessage());
            return;
        }
        exchange.path = path;
        Headers headers;
        try {
            headers = viewHeaders(request, exchange);
        } catch (IllegalArgumentException e) {
            reject(exchange, response, callback, 400, "bad_request", "invalid_header", null);
            return;
        }
        FilterRequestView view = new FilterRequestView(exchange.instanceId, exchange.requestId, exchange.method,
                exchange.scheme, exchange.host, exchange.port, exchange.protocol, path, request.getHttpURI().getQuery(),
                headers, exchange.secrets);
        exchange.view = view;

        List<Filter> filters = exchange.chain.filters();
        long bodyLimit = 0;
        for (int i = 0; i < filters.size(); i++) {
            try {
                bodyLimit = Math.max(bodyLimit, filters.get(i).bodyLimit(view));
            } catch (RuntimeException e) {
                answer(exchange, response, callback, filterFailed(exchange, i, "bodyLimit", e));
                return;
            }
        }
        if (bodyLimit > 0) {
            long limit = Math.min(bodyLimit, maxBodySize);
            // Reading the whole body waits on the client, and this may be a selector thread: read it on a
            // thread of the pool, which then runs the chain.
            request.getComponents().getExecutor().execute(() -> {
                try {
                    Answers.Answer refusal = bufferBody(request, view, limit);
                    if (refusal != null) {
                        answer(exchange, response, callback, refusal);
                    } else {
                        decide(exchange, request, response, callback, view);
                    }
                } catch (RuntimeException e) {
                    failUnexpectedly(exchange, response, callback, e);
                }
            });
            return;
        }
        decide(exchange, request, response, callback, view);
    }

    /** Runs every filter's {@code onRequest} and forwards the request when one allowed it and none refused. */
    private void decide(Exchange exchange, Request request, Response response, Callback callback,
            FilterRequestView view) {
        List<Filter> filters = exchange.chain.filters();
        boolean allowed = false;
        for (int i = 0; i < filters.size(); i++) {
            exchange.filtersRan = i + 1;
            Decision decision;
            try {
                decision = Objects.requireNonNull(filters.get(i).onRequest(view), "decision");
            } catch (RuntimeException e) {
                answer(exchange, response, callback, filterFailed(exchange, i, "onRequest", e));
                return;
            }
            switch (decision.kind()) {
                case RESPOND -> {
                    answer(exchange, response, callback, fromDecision(decision, exchange.chain.pluginAt(i)));
                    return;
                }
                case ALLOW -> {
                    allowed = true;
                    exchange.allowedBy(exchange.chain.pluginAt(i), decision.rule());
                }
                case PROCEED -> {
                }
            }
        }
        if (!allowed) {
            answer(exchange, response, callback, defaultDeny());
            return;
        }
        forwarder.forward(exchange, request, response, callback);
    }

    /**
     * Looks the instance up with the given credentials and takes a reference on its current chain.
     *
     * @return {@code false} when the credentials do not identify an instance
     */
    private boolean acquire(Exchange exchange, String instanceId, String token) {
        if (instanceId == null || token == null) {
            return false;
        }
        for (int attempt = 0; attempt < ACQUIRE_ATTEMPTS; attempt++) {
            Optional<Instance> instance = registry.authenticate(instanceId, token);
            if (instance.isEmpty()) {
                return false;
            }
            // A chain replaced between the lookup and here is already closed: look again.
            if (instance.get().chain().acquire()) {
                exchange.instanceId = instance.get().id();
                exchange.chain = instance.get().chain();
                exchange.secrets = instance.get().secrets();
                return true;
            }
        }
        return false;
    }

    /** Runs every filter's {@code onConnect}; returns the refusal, or {@code null} when the target may be reached. */
    private Answers.Answer admit(Exchange exchange, boolean tunnel) {
        List<Filter> filters = exchange.chain.filters();
        if (filters.isEmpty()) {
            return defaultDeny();
        }
        ConnectRequest target = new Target(exchange.instanceId, exchange.host, exchange.port, tunnel);
        for (int i = 0; i < filters.size(); i++) {
            Decision decision;
            try {
                decision = Objects.requireNonNull(filters.get(i).onConnect(target), "decision");
            } catch (RuntimeException e) {
                return filterFailed(exchange, i, "onConnect", e);
            }
            if (decision.kind() == Decision.Kind.RESPOND) {
                return fromDecision(decision, exchange.chain.pluginAt(i));
            }
        }
        return null;
    }

    /** The request's headers as the chain sees them: without hop-by-hop fields and proxy credentials. */
    private static Headers viewHeaders(Request request, Exchange exchange) {
        HttpFields fields = request.getHeaders();
        HopByHopHeaders hopByHop = HopByHopHeaders.of(fields.getValuesList(HttpHeader.CONNECTION));
        Headers headers = new Headers();
        int defaultPort = exchange.scheme.equals("https") ? 443 : 80;
        headers.add("Host", HostNames.toAuthorityForm(exchange.host)
                + (exchange.port == defaultPort ? "" : ":" + exchange.port));
        for (HttpField field : fields) {
            String name = field.getName();
            String lower = name.toLowerCase(Locale.ROOT);
            if (hopByHop.isDropped(name) || lower.equals("host") || lower.equals("expect")) {
                continue;
            }
            headers.add(name, field.getValue());
        }
        return headers;
    }

    /** Reads the whole request body into the view; returns the refusal when it is over the limit. */
    private static Answers.Answer bufferBody(Request request, FilterRequestView view, long limit) {
        int max = (int) Math.min(limit, Integer.MAX_VALUE - 8);
        if (request.getLength() > max) {
            return chainBodyTooLarge(max);
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(max);
            if (in.read() >= 0) {
                return chainBodyTooLarge(max);
            }
            view.setBody(ByteBuffer.wrap(body));
            return null;
        } catch (IOException e) {
            return Answers.Answer.of(400, "bad_request", "body_unreadable", "the request body could not be read");
        }
    }

    private static Answers.Answer chainBodyTooLarge(int limit) {
        return Answers.Answer.of(413, "payload_too_large", "body_too_large",
                "the body is larger than the chain accepts (" + limit + " bytes)");
    }

    private static Answers.Answer filterFailed(Exchange exchange, int index, String method, RuntimeException e) {
        String plugin = exchange.chain.pluginAt(index);
        LOG.warn("{} filter {} ({}) of instance {} failed in {}: {}", exchange.requestId, index, plugin,
                exchange.instanceId, method, e.getClass().getName());
        return new Answers.Answer(500, "filter_failed", "filter_exception", plugin, null,
                "a filter failed; nothing was sent", Map.of());
    }

    private static Answers.Answer fromDecision(Decision decision, String plugin) {
        return new Answers.Answer(decision.status(), decision.error(), decision.reason(), plugin, decision.rule(),
                decision.detail(), decision.headers());
    }

    private static Answers.Answer defaultDeny() {
        return Answers.Answer.of(403, Decision.EGRESS_DENIED, "no_filter_allowed",
                "no filter of the chain allowed this");
    }

    private void unauthenticated(Exchange exchange, Response response, Callback callback) {
        Answers.Answer answer = Answers.Answer.of(407, "proxy_authentication_required", "invalid_credentials",
                "send Proxy-Authorization: Basic with the instance id and proxy token")
                .withHeader(HttpHeader.PROXY_AUTHENTICATE.asString(), REALM);
        Answers.finish(exchange, response, callback, answer, "unauthenticated");
    }

    private static void reject(Exchange exchange, Response response, Callback callback, int status, String error,
            String reason, String detail) {
        Answers.finish(exchange, response, callback, Answers.Answer.of(status, error, reason, detail), "rejected");
    }

    private static void answer(Exchange exchange, Response response, Callback callback, Answers.Answer answer) {
        String decision;
        if (answer.status() == 403 && Decision.EGRESS_DENIED.equals(answer.error())) {
            decision = "denied";
        } else if (answer.status() >= 500) {
            decision = "failed";
        } else if (answer.filter() == null) {
            decision = "rejected";
        } else {
            decision = "answered";
        }
        Answers.finish(exchange, response, callback, answer, decision);
    }

    private Exchange newExchange(Request request, String kind, String scheme) {
        HttpVersion version = request.getConnectionMetaData().getHttpVersion();
        String protocol = version == HttpVersion.HTTP_2 ? "HTTP/2" : version.asString();
        return new Exchange(listeners, newRequestId(), kind, request.getMethod().toUpperCase(Locale.ROOT), scheme,
                protocol);
    }

    /**
     * A new request id, 16 hex digits. It tells requests apart in logs and answers; it guards nothing, so it
     * needs no secure random source.
     */
    static String newRequestId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /** The target of a tunnel or plain request, as {@link Filter#onConnect} sees it. */
    private record Target(String instanceId, String host, int port, boolean tunnel) implements ConnectRequest {
    }
}
