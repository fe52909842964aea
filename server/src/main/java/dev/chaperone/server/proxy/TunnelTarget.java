package dev.chaperone.server.proxy;

import java.util.Objects;

import dev.chaperone.spi.HostNames;

/**
 * An intercepted {@code CONNECT} tunnel: the target every request inside it must name, and the
 * credentials it was opened with, which every request inside it is authenticated with again.
 */
final class TunnelTarget {

    private final String instanceId;
    private final String token;
    private final String host;
    private final int port;

    TunnelTarget(String instanceId, String token, String host, int port) {
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.token = Objects.requireNonNull(token, "token");
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
    }

    String instanceId() {
        return instanceId;
    }

    /** The proxy token the tunnel was opened with; never logged. */
    String token() {
        return token;
    }

    /** The canonical CONNECT host. */
    String host() {
        return host;
    }

    int port() {
        return port;
    }

    /** The CONNECT authority as a client writes it in {@code Host}: {@code host:port}, IPv6 in brackets. */
    String authority() {
        return HostNames.toAuthorityForm(host) + ":" + port;
    }

    @Override
    public String toString() {
        return "Tunnel[" + instanceId + " -> " + authority() + "]";
    }
}
