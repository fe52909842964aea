package dev.chaperone.spi.testing;

import java.util.Objects;

import dev.chaperone.spi.ConnectRequest;
import dev.chaperone.spi.HostNames;

/**
 * A target as the server hands it to {@link dev.chaperone.spi.Filter#onConnect}, built by hand for tests.
 * The canonical constructor takes the host as it is; {@link #tunnelTo} and {@link #plainTo} normalise a raw
 * host as the server does.
 *
 * @param instanceId the instance whose chain is deciding
 * @param host the canonical host
 * @param port the port
 * @param tunnel {@code true} for a {@code CONNECT} tunnel, {@code false} for a plain {@code http://} request
 */
public record FakeConnectRequest(String instanceId, String host, int port, boolean tunnel) implements ConnectRequest {

    /** Checks only that nothing is missing; the host is taken as canonical. */
    public FakeConnectRequest {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(host, "host");
    }

    /**
     * A {@code CONNECT} tunnel of instance {@code sandbox-1} to {@code rawHost:port}.
     *
     * @throws IllegalArgumentException when the server would refuse the host
     */
    public static FakeConnectRequest tunnelTo(String rawHost, int port) {
        return new FakeConnectRequest("sandbox-1", HostNames.normalize(rawHost), port, true);
    }

    /**
     * A plain {@code http://} request of instance {@code sandbox-1} to {@code rawHost:port}.
     *
     * @throws IllegalArgumentException when the server would refuse the host
     */
    public static FakeConnectRequest plainTo(String rawHost, int port) {
        return new FakeConnectRequest("sandbox-1", HostNames.normalize(rawHost), port, false);
    }
}
