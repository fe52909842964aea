package dev.chaperone.plugins.testing;

import dev.chaperone.spi.ConnectRequest;
import dev.chaperone.spi.HostNames;

/**
 * A CONNECT target as the server hands it to filters: the host already canonical.
 *
 * @param instanceId the instance deciding
 * @param host the canonical host
 * @param port the port
 * @param tunnel whether it is a CONNECT tunnel
 */
public record FakeConnectRequest(String instanceId, String host, int port, boolean tunnel) implements ConnectRequest {

    /**
     * A tunnel to {@code rawHost:port}, normalised as the server would.
     *
     * @throws IllegalArgumentException when the server would refuse the host
     */
    public static FakeConnectRequest tunnelTo(String rawHost, int port) {
        return new FakeConnectRequest("sandbox-1", HostNames.normalize(rawHost), port, true);
    }
}
