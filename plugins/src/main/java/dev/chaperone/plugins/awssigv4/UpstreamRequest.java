package dev.chaperone.plugins.awssigv4;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request as the upstream will receive it, reduced to what a SigV4 signature covers.
 *
 * @param method the method in upper case
 * @param scheme {@code https} or {@code http}
 * @param host the canonical host
 * @param port the port the request goes to
 * @param authority the {@code Host} header the upstream sees: the host, plus the port when it is not the default
 * @param path the path as sent, percent-encoded
 * @param query the raw query string without {@code ?}, or {@code null}
 * @param headers the headers to sign, in order, without {@code Host}; names in any case
 */
record UpstreamRequest(String method, String scheme, String host, int port, String authority, String path,
        String query, List<Map.Entry<String, String>> headers) {

    UpstreamRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(path, "path");
        headers = List.copyOf(headers);
    }

    /** Leaves header values out, since they may hold credentials. */
    @Override
    public String toString() {
        return method + " " + scheme + "://" + authority + path + (query == null ? "" : "?" + query);
    }
}
