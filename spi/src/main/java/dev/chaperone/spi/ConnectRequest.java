package dev.chaperone.spi;

/**
 * The target a client wants to reach, as the server knows it before any request on it is read: the
 * authority of a {@code CONNECT}, or the host and port of a plain {@code http://} request.
 *
 * <p>The host is already in canonical form (see {@link HostNames#normalize}); the server refused the
 * client before this point if it was not a valid host.
 */
public interface ConnectRequest {

    /** The instance whose chain is deciding. */
    String instanceId();

    /** The canonical host: a lower-case ASCII DNS name, an IPv4 dotted quad, or an IPv6 literal without brackets. */
    String host();

    /** The port, 1 to 65535. */
    int port();

    /** {@code true} for a {@code CONNECT} tunnel, {@code false} for a plain {@code http://} request. */
    boolean tunnel();
}
