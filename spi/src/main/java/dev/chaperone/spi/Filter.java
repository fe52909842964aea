package dev.chaperone.spi;

import java.util.Set;

/**
 * One step of an instance's chain: sees each request of that instance and decides about it.
 *
 * <p>A filter is created by its {@link FilterFactory} when a chain is configured, used by every request
 * of that instance until the chain is replaced or the instance is deleted, and then {@link #close()
 * closed} once the requests that were already running on it have finished.
 *
 * <p>Methods are called on the server's request threads, many at a time: implementations must be
 * thread-safe and must not block (no network calls, no waiting on locks held across requests). They must
 * never log or otherwise expose a secret value. A method that throws fails closed: the request is
 * answered with 500, nothing is sent upstream, and a WARN line names the filter.
 */
public interface Filter extends AutoCloseable {

    /**
     * Decides whether the target of a new tunnel ({@code CONNECT host:port}) or of a plain {@code http://}
     * request may be reached at all, before any TLS handshake or request is processed.
     *
     * <p>Return {@link Decision#deny} (or another {@link Decision#respond answer}) when no request to this
     * target could ever be allowed by this filter's rules, so the client gets a refusal without a TLS
     * handshake and the host is never resolved. Any other decision lets the target through to the
     * per-request phase, where {@link #onRequest} still decides about each request; an
     * {@link Decision#allow allow} here does not allow any request by itself.
     *
     * <p>The default lets every target through.
     */
    default Decision onConnect(ConnectRequest target) {
        return Decision.proceed();
    }

    /**
     * How many bytes of the request body this filter needs to see in {@link FilterRequest#body()}.
     *
     * <p>Called once per request, before {@link #onRequest}, with the request as it is so far. Return
     * {@code 0} (the default) to let the body stream to the upstream untouched. A positive limit makes the
     * server buffer the whole body before the chain runs; a body larger than the largest limit asked for by
     * any filter of the chain is refused with 413 and never sent upstream.
     */
    default long bodyLimit(FilterRequest request) {
        return 0;
    }

    /**
     * Decides about one request. Called once per request, in chain order, after every earlier filter of
     * the chain returned {@link Decision#proceed} or {@link Decision#allow}.
     *
     * <p>The filter may change the request's headers and query parameters; it cannot change the scheme,
     * host or port it goes to. It returns {@link Decision#proceed} to leave the decision to others,
     * {@link Decision#allow} to mark the request allowed (later filters still run and may refuse it), or
     * an answer such as {@link Decision#deny} that ends the chain: the client gets that answer and nothing
     * is sent upstream. A request that no filter allowed is refused with 403 when the chain ends.
     */
    Decision onRequest(FilterRequest request);

    /**
     * Sees the upstream's response head before the client does. Called only for requests that were sent
     * upstream, in reverse chain order, for every filter whose {@link #onRequest} ran. The filter may
     * change the response headers. The default does nothing.
     */
    default void onResponse(FilterRequest request, FilterResponse response) {
    }

    /**
     * Asks to rewrite the body of the upstream's response. Called once per response, right after every
     * filter's {@link #onResponse}, in the same reverse chain order, with the response head as the client
     * will get it. Return {@code null} (the default) to let the body stream through untouched. When any
     * filter returns a rewriter, the server drops the response's {@code Content-Length} (the length may
     * change) and passes every chunk of the body through the rewriters before the client sees it. Bodies are
     * never buffered whole for this; a rewriter that needs context across chunks keeps it itself. An
     * exception here fails closed like one from {@code onResponse}: the response is dropped and the client
     * gets 500.
     */
    default ResponseBodyRewriter responseBody(FilterRequest request, FilterResponse response) {
        return null;
    }

    /**
     * Called once when the exchange of a request that reached this filter's {@link #onRequest} has ended,
     * whatever the outcome (answered by a filter, forwarded, failed), so that a filter can release what it
     * holds per request, such as a concurrency permit. {@code status} is the status the client got, or
     * {@code 0} when the connection failed before one was sent. Must not throw.
     */
    default void onComplete(FilterRequest request, int status) {
    }

    /**
     * The names of the instance secrets this filter writes into request header or query values. The server
     * refuses to store a value containing CR, LF or NUL for such a secret, so that a secret can never split
     * a header. The default is none.
     */
    default Set<String> headerSecrets() {
        return Set.of();
    }

    /**
     * Releases what the filter holds. Called once, when the chain it belongs to has been replaced or its
     * instance deleted, after the requests that were using it have finished. Must not throw.
     */
    @Override
    default void close() {
    }
}
