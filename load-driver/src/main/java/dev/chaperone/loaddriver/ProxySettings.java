package dev.chaperone.loaddriver;

import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP proxy to send through and, when it asks for them, the Basic credentials for
 * {@code Proxy-Authorization} (for Chaperone: the instance id and its proxy token).
 */
record ProxySettings(String host, int port, Optional<String> user, Optional<String> password) {
    ProxySettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (port <= 0 || port > 65_535) {
            throw new IllegalArgumentException("proxy port out of range: " + port);
        }
        if (user.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException("proxy user and password go together");
        }
    }

    /** Parses {@code host:port}. */
    static ProxySettings parse(String hostAndPort, Optional<String> user, Optional<String> password) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("proxy must be host:port, got '" + hostAndPort + "'");
        }
        return new ProxySettings(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)),
                user, password);
    }
}
