package dev.chaperone.spi;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * One decrypted (or plain {@code http://}) request of an instance, as the chain sees it before it is sent.
 *
 * <p>The target ({@link #scheme()}, {@link #host()}, {@link #port()}) is fixed: it is the CONNECT
 * authority of the tunnel, or the authority of a plain request, and no filter can change it. Headers and
 * query parameters can be changed; the server re-serialises the request from this view, so what a filter
 * sets is exactly what the upstream receives. Hop-by-hop headers and {@code Proxy-Authorization} have
 * already been removed and cannot be added back.
 *
 * <p>A request object is used by one request thread at a time; it must not be kept after
 * {@link Filter#onComplete} returns.
 */
public interface FilterRequest {

    /** The instance the request belongs to. */
    String instanceId();

    /** A unique id of this request, also given to the client in answers from the proxy and in the audit log. */
    String requestId();

    /** The method in upper case, such as {@code GET}. */
    String method();

    /** {@code https} for a request inside an intercepted tunnel, {@code http} for a plain request. */
    String scheme();

    /** The canonical host (see {@link HostNames#normalize}). */
    String host();

    /** The port, 1 to 65535. */
    int port();

    /** The protocol the client spoke: {@code HTTP/1.1} or {@code HTTP/2}. */
    String protocol();

    /**
     * The path that will be sent upstream, in normalised form (see {@link HttpPaths#normalize}): it starts
     * with {@code /}, has no dot segments, and still has its percent-encoding (an encoded slash stays
     * {@code %2F} and never separates segments). Path rules match on this.
     */
    String path();

    /** The raw query string without the {@code ?}, or {@code null} when the request has none. */
    String query();

    /**
     * Sets a query parameter, replacing every parameter of that name. The name and value are given
     * unencoded and are percent-encoded by the server.
     *
     * @throws IllegalArgumentException if the name is empty or either contains CR, LF or NUL
     */
    void setQueryParameter(String name, String value);

    /** Removes every query parameter of that name; does nothing when there is none. */
    void removeQueryParameter(String name);

    /** The request headers, which the filter may change. */
    Headers headers();

    /**
     * The whole request body, read-only, when a filter of the chain asked for it through
     * {@link Filter#bodyLimit}; empty otherwise (the body then streams upstream without being held).
     * A request without a body gives an empty buffer when the body was asked for.
     */
    Optional<ByteBuffer> body();

    /** The instance's secrets, looked up when called so that a changed secret counts from the next request. */
    SecretLookup secrets();

    /** A value a filter attached to this request earlier, such as a permit to release in {@code onComplete}. */
    Object attribute(String name);

    /** Attaches a value to this request, visible to all filters of the chain; {@code null} removes it. */
    void setAttribute(String name, Object value);
}
