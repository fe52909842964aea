package dev.chaperone.plugins.testing;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.chaperone.spi.FilterRequest;
import dev.chaperone.spi.Headers;
import dev.chaperone.spi.HostNames;
import dev.chaperone.spi.HttpPaths;
import dev.chaperone.spi.SecretLookup;

/**
 * A request as the server hands it to filters: host and path already in normal form. Query parameters set
 * by filters are kept in {@link #queryParameters()}.
 */
public final class FakeFilterRequest implements FilterRequest {

    private final String method;
    private final String scheme;
    private final String host;
    private final int port;
    private final String path;
    private final Headers headers = new Headers();
    private final Map<String, String> queryParameters = new LinkedHashMap<>();
    private final Map<String, Object> attributes = new HashMap<>();
    private SecretLookup secrets = new FakeSecrets();
    private String instanceId = "sandbox-1";

    private FakeFilterRequest(String method, String scheme, String host, int port, String path) {
        this.method = method;
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.path = path;
    }

    /**
     * A request with a raw host and raw path, normalised as the server would.
     *
     * @throws IllegalArgumentException when the server would refuse the host or the path
     */
    public static FakeFilterRequest of(String method, String scheme, String rawHost, int port, String rawPath) {
        return new FakeFilterRequest(method, scheme, HostNames.normalize(rawHost), port, HttpPaths.normalize(rawPath));
    }

    /** A GET inside a tunnel to port 443. */
    public static FakeFilterRequest https(String rawHost, String rawPath) {
        return of("GET", "https", rawHost, 443, rawPath);
    }

    /** A plain GET to port 80. */
    public static FakeFilterRequest http(String rawHost, String rawPath) {
        return of("GET", "http", rawHost, 80, rawPath);
    }

    public FakeFilterRequest withSecrets(SecretLookup secrets) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        return this;
    }

    public FakeFilterRequest withInstance(String instanceId) {
        this.instanceId = instanceId;
        return this;
    }

    public FakeFilterRequest withHeader(String name, String value) {
        headers.add(name, value);
        return this;
    }

    public Map<String, String> queryParameters() {
        return queryParameters;
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public String requestId() {
        return "req-1";
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String protocol() {
        return "HTTP/1.1";
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String query() {
        return null;
    }

    @Override
    public void setQueryParameter(String name, String value) {
        if (name.isEmpty() || name.matches("(?s).*[\r\n\0].*") || value.matches("(?s).*[\r\n\0].*")) {
            throw new IllegalArgumentException("bad query parameter");
        }
        queryParameters.put(name, value);
    }

    @Override
    public void removeQueryParameter(String name) {
        queryParameters.remove(name);
    }

    @Override
    public Headers headers() {
        return headers;
    }

    @Override
    public Optional<ByteBuffer> body() {
        return Optional.empty();
    }

    @Override
    public SecretLookup secrets() {
        return secrets;
    }

    @Override
    public Object attribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    public Map<String, Object> attributes() {
        return attributes;
    }
}
