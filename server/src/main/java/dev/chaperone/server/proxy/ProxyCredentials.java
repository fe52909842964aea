package dev.chaperone.server.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The instance id and proxy token from a {@code Proxy-Authorization: Basic} header. The token is never
 * shown by {@link #toString()}.
 */
record ProxyCredentials(String instanceId, String token) {

    /** Parses the header; empty when it is absent, not Basic, or not valid base64 of {@code id:token}. */
    static Optional<ProxyCredentials> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String value = header.trim();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Basic")) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value.substring(space + 1).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        return Optional.of(new ProxyCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return "ProxyCredentials[" + instanceId + "]";
    }
}
