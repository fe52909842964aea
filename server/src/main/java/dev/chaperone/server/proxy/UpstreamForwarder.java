package dev.chaperone.server.proxy;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.client.ContentSourceRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chaperone.server.upstream.UpstreamFailure;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.Headers;
import dev.chaperone.spi.ResponseBodyRewriter;

/**
 * Sends an allowed request upstream and relays the response: the proxy-to-server request is rebuilt from
 * the chain's view (target fixed to the tunnel or absolute-form authority), and both bodies stream, so a
 * large upload is never held and server-sent events reach the client as they are sent.
 */
final class UpstreamForwarder {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamForwarder.class);

    /** Headers the proxy sets itself from the URI and the body rather than taking from the view. */
    private static final Set<String> FRAMING = Set.of("host", "content-length", "expect");

    private final HttpClient client;
    private final long maxBodySize;
    private final long idleTimeoutMillis;

    /**
     * @param idleTimeout how long the upstream may stay silent during an exchange; set on each request, so it
     *     holds while the exchange runs whatever the idle timeout of the client's pooled connections
     */
    UpstreamForwarder(HttpClient client, long maxBodySize, Duration idleTimeout) {
        this.client = client;
        this.maxBodySize = maxBodySize;
        this.idleTimeoutMillis = idleTimeout.toMillis();
    }

    void forward(Exchange exchange, Request clientToProxy, Response proxyToClient, Callback callback) {
        FilterRequestView view = exchange.view;
        org.eclipse.jetty.client.Request proxyToServer = client.newRequest(view.host(), view.port())
                .scheme(view.scheme())
                .method(view.method())
                .path(view.pathAndQuery())
                .idleTimeout(idleTimeoutMillis, TimeUnit.MILLISECONDS);
        // An HTTP/1.1 client's requests go out over HTTP/1.1 connections, an HTTP/2 client's over h2 where the
        // upstream offers it. Carrying every HTTP/1.1 client over one multiplexed h2 connection per upstream put
        // all their responses on the one thread reading that connection: about 15% less throughput on 2 cores.
        if (clientToProxy.getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_2) {
            proxyToServer.version(HttpVersion.HTTP_1_1);
        }
        HopByHopHeaders hopByHop = HopByHopHeaders.of(view.headers().getAll("Connection"));
        proxyToServer.headers(fields -> {
            fields.clear();
            Headers headers = view.headers();
            for (int i = 0; i < headers.size(); i++) {
                String name = headers.nameAt(i);
                if (!hopByHop.isDropped(name) && !FRAMING.contains(name.toLowerCase(Locale.ROOT))) {
                    fields.add(name, headers.valueAt(i));
                }
            }
        });

        if (view.body().isPresent()) {
            ByteBuffer body = view.body().get();
            exchange.bytesUp.addAndGet(body.remaining());
            if (body.hasRemaining()) {
                proxyToServer.body(new ByteBufferRequestContent((String) null, body));
            }
        } else if (clientToProxy.getLength() != 0) {
            Content.Chunk first = clientToProxy.read();
            if (first != null && Content.Chunk.isFailure(first)) {
                exchange.decide("failed", null, "client_aborted", null);
                exchange.finish(0);
                callback.failed(first.getFailure());
                return;
            }
            boolean empty = first != null && first.isLast() && !first.hasRemaining();
            if (!empty) {
                proxyToServer.body(new ContentSourceRequestContent(
                        new CountingSource(clientToProxy, first, exchange.bytesUp, maxBodySize), null));
            }
        }

        proxyToServer.send(new Relay(exchange, proxyToServer, proxyToClient, callback, maxBodySize));
    }

    /**
     * The failure of a filter's {@code onResponse} or response body rewriter; the response is then refused
     * like a request would be, or cut off when the client already has part of it.
     */
    private static final class FilterFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final int index;

        FilterFailure(int index) {
            super("filter " + index + " failed on the response", null, false, false);
            this.index = index;
        }
    }

    /** Relays the upstream's response to the client, streaming its body with back-pressure. */
    private static final class Relay extends Callback.Completable
            implements org.eclipse.jetty.client.Response.Listener {

        private final Exchange exchange;
        private final org.eclipse.jetty.client.Request proxyToServer;
        private final Response proxyToClient;
        private final Callback callback;
        private final long maxBodySize;
        /** The rewriters of the response body, in the order they run, with the chain index of each. */
        private final List<ResponseBodyRewriter> rewriters = new ArrayList<>();
        private final List<Integer> rewriterIndexes = new ArrayList<>();
        /** The upstream's Content-Length, or -1 when it sent none. */
        private long expectedLength = -1;
        private long received;
        /** Whether the last chunk went to the client with the end of the response. */
        private boolean lastWritten;

        Relay(Exchange exchange, org.eclipse.jetty.client.Request proxyToServer, Response proxyToClient,
                Callback callback, long maxBodySize) {
            this.maxBodySize = maxBodySize;
            this.exchange = exchange;
            this.proxyToServer = proxyToServer;
            this.proxyToClient = proxyToClient;
            this.callback = callback;
        }

        @Override
        public void onBegin(org.eclipse.jetty.client.Response serverToProxy) {
            org.eclipse.jetty.client.Connection connection = proxyToServer.getConnection();
            SocketAddress address = connection == null ? null : connection.getRemoteSocketAddress();
            if (address instanceof InetSocketAddress inet) {
                exchange.upstreamAddress = inet.getAddress().getHostAddress() + ":" + inet.getPort();
            }
        }

        @Override
        public void onHeaders(org.eclipse.jetty.client.Response serverToProxy) {
            HopByHopHeaders hopByHop = HopByHopHeaders.of(
                    serverToProxy.getHeaders().getValuesList(HttpHeader.CONNECTION));
            Headers headers = new Headers();
            for (HttpField field : serverToProxy.getHeaders()) {
                if (hopByHop.isDropped(field.getName())) {
                    continue;
                }
                try {
                    headers.add(field.getName(), field.getValue());
                } catch (IllegalArgumentException e) {
                    LOG.debug("{} dropping an upstream response header that is not valid", exchange.requestId);
                }
            }
            FilterResponseView response = new FilterResponseView(serverToProxy.getStatus(), headers);
            List<Filter> filters = exchange.chain.filters();
            for (int i = exchange.filtersRan - 1; i >= 0; i--) {
                try {
                    filters.get(i).onResponse(exchange.view, response);
                } catch (RuntimeException e) {
                    serverToProxy.abort(filterFailed(i, "onResponse", e));
                    return;
                }
            }
            for (int i = exchange.filtersRan - 1; i >= 0; i--) {
                try {
                    ResponseBodyRewriter rewriter = filters.get(i).responseBody(exchange.view, response);
                    if (rewriter != null) {
                        rewriters.add(rewriter);
                        rewriterIndexes.add(i);
                    }
                } catch (RuntimeException e) {
                    serverToProxy.abort(filterFailed(i, "responseBody", e));
                    return;
                }
            }
            if (!rewriters.isEmpty()) {
                headers.remove("Content-Length");
            }
            expectedLength = contentLength(serverToProxy);
            proxyToClient.setStatus(serverToProxy.getStatus());
            for (int i = 0; i < headers.size(); i++) {
                proxyToClient.getHeaders().add(headers.nameAt(i), headers.valueAt(i));
            }
        }

        private static long contentLength(org.eclipse.jetty.client.Response serverToProxy) {
            try {
                return serverToProxy.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /** Passes a chunk of the body through every rewriter; {@code null} when one failed and aborted. */
        private ByteBuffer rewrite(org.eclipse.jetty.client.Response serverToProxy, ByteBuffer chunk, boolean last) {
            ByteBuffer bytes = chunk;
            for (int r = 0; r < rewriters.size(); r++) {
                try {
                    bytes = Objects.requireNonNull(rewriters.get(r).rewrite(bytes, last), "rewritten chunk");
                } catch (RuntimeException e) {
                    serverToProxy.abort(filterFailed(rewriterIndexes.get(r), "responseBody", e));
                    return null;
                }
            }
            return bytes;
        }

        private FilterFailure filterFailed(int index, String method, RuntimeException e) {
            LOG.warn("{} filter {} ({}) of instance {} failed in {}: {}", exchange.requestId, index,
                    exchange.chain.pluginAt(index), exchange.instanceId, method, e.getClass().getName());
            return new FilterFailure(index);
        }

        @Override
        public void onContent(org.eclipse.jetty.client.Response serverToProxy, Content.Chunk chunk,
                Runnable demander) {
            exchange.bytesDown.addAndGet(chunk.remaining());
            received += chunk.remaining();
            // The chunk that completes the body goes out with the end of the response. Ending it later, in
            // onSuccess, costs a second write to the client: an HTTP/2 DATA frame of its own just to carry
            // END_STREAM.
            boolean last = chunk.isLast() || received == expectedLength;
            ByteBuffer bytes = chunk.getByteBuffer();
            if (!rewriters.isEmpty()) {
                bytes = rewrite(serverToProxy, bytes, last);
                if (bytes == null) {
                    return;
                }
            }
            // A rewriter may hand back the chunk's own buffer, so the chunk lives until the write is done.
            chunk.retain();
            if (last) {
                lastWritten = true;
                proxyToClient.write(true, bytes, Callback.from(() -> {
                    chunk.release();
                    succeeded();
                    demander.run();
                }, failure -> {
                    chunk.release();
                    completeExceptionally(failure);
                    serverToProxy.abort(failure);
                }));
                return;
            }
            proxyToClient.write(false, bytes, Callback.from(() -> {
                chunk.release();
                demander.run();
            }, failure -> {
                chunk.release();
                serverToProxy.abort(failure);
            }));
        }

        @Override
        public void onSuccess(org.eclipse.jetty.client.Response serverToProxy) {
            if (lastWritten) {
                return;
            }
            ByteBuffer rest = BufferUtil.EMPTY_BUFFER;
            if (!rewriters.isEmpty()) {
                rest = rewrite(serverToProxy, rest, true);
                if (rest == null) {
                    completeExceptionally(new FilterFailure(rewriterIndexes.get(0)));
                    return;
                }
            }
            proxyToClient.write(true, rest, this);
        }

        @Override
        public void onComplete(Result result) {
            if (result.isSucceeded()) {
                int status = result.getResponse().getStatus();
                whenComplete((ignored, failure) -> {
                    exchange.forwarded();
                    exchange.finish(status);
                    if (failure == null) {
                        callback.succeeded();
                    } else {
                        callback.failed(failure);
                    }
                });
                return;
            }
            Throwable failure = result.getFailure();
            if (proxyToClient.isCommitted()) {
                // The client already has part of the response; all that is left is to cut it off.
                exchange.decide("failed", null, "upstream_aborted", null);
                exchange.finish(proxyToClient.getStatus());
                callback.failed(failure);
                return;
            }
            proxyToClient.getHeaders().clear();
            if (BodyTooLargeException.isCause(failure)) {
                Answers.finish(exchange, proxyToClient, callback, EgressHandler.bodyTooLarge(maxBodySize), "rejected");
                return;
            }
            if (failure instanceof FilterFailure filterFailure) {
                String plugin = exchange.chain.pluginAt(filterFailure.index);
                Answers.Answer answer = new Answers.Answer(500, "filter_failed", "filter_exception", plugin, null,
                        "a filter failed; the response was not passed on", Map.of());
                Answers.finish(exchange, proxyToClient, callback, answer, "failed");
                return;
            }
            UpstreamFailure classified = UpstreamFailure.classify(failure);
            LOG.info("{} {} {}:{} failed upstream: {} ({})", exchange.requestId, exchange.instanceId, exchange.host,
                    exchange.port, classified.reason(), failure.getClass().getSimpleName());
            Answers.Answer answer = Answers.Answer.of(classified.status(), classified.error(), classified.reason(),
                    classified.detail());
            Answers.finish(exchange, proxyToClient, callback, answer, classified.status() == 403 ? "denied" : "failed");
        }
    }
}
