package dev.chaperone.server.upstream;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

import dev.chaperone.server.net.AddressDeniedException;

/**
 * What the client is told when the proxy could not get an answer from the upstream.
 *
 * @param status the status of the answer: 403 for a refused address, 502 for an unreachable or broken
 *     upstream, 504 for one that did not answer in time
 * @param error the error code of the answer
 * @param reason the reason code, also used by the audit log
 * @param detail one sentence for the client; never contains a header value or secret
 */
public record UpstreamFailure(int status, String error, String reason, String detail) {

    /** Classifies a failure of the proxy-to-server exchange by the first cause that says what happened. */
    public static UpstreamFailure classify(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AddressDeniedException denied) {
                return new UpstreamFailure(403, "address_denied", denied.reason(),
                        "the host resolves to an address the proxy does not connect to");
            }
            if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
                return new UpstreamFailure(502, "upstream_unreachable", "unknown_host",
                        "the host could not be resolved");
            }
            if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
                return new UpstreamFailure(504, "upstream_timeout", "timeout", "the upstream did not answer in time");
            }
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
                return new UpstreamFailure(502, "upstream_unreachable", "connection_refused",
                        "the upstream refused the connection");
            }
            if (cause instanceof SSLException) {
                return new UpstreamFailure(502, "upstream_tls_failed", "tls_failed",
                        "the upstream's TLS certificate or handshake was not accepted");
            }
        }
        return new UpstreamFailure(502, "upstream_failed", "upstream_error", "the upstream exchange failed");
    }
}
