package dev.chaperone.server.net;

import java.net.UnknownHostException;

/**
 * The upstream host resolved to an address the proxy must not connect to (loopback, private, link-local,
 * the proxy itself, ...). The proxy answers such a request with 403 {@code address_denied}.
 *
 * <p>An {@link UnknownHostException}, because it is raised where a name is resolved and to callers it means
 * the same: there is no address to connect to.
 */
public final class AddressDeniedException extends UnknownHostException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param host the host that was resolved
     * @param reason a stable reason code, such as {@code loopback} or {@code private}
     */
    public AddressDeniedException(String host, String reason) {
        super(host + " resolves to an address that is not allowed (" + reason + ")");
        this.reason = reason;
    }

    /** The stable reason code, such as {@code loopback}, {@code private} or {@code link_local}. */
    public String reason() {
        return reason;
    }
}
