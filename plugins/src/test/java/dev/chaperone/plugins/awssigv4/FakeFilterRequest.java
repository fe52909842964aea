package dev.chaperone.plugins.awssigv4;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.chaperone.spi.FilterRequest;
import dev.chaperone.spi.Headers;
import dev.chaperone.spi.HostNames;
import dev.chaperone.spi.SecretLookup;

/** A request as the server would hand it to a filter, built by hand for tests. */
final class FakeFilterRequest implements FilterRequest {

    private final String method;
    private final String scheme;
    private final String host;
    private final int port;
    private final String path;
    private String query;
    private final Headers headers = new Headers();
    private ByteBuffer body;
    private final Map<String, String> secrets = new HashMap<>();
    private final Map<String, Object> attributes = new HashMap<>();

    FakeFilterRequest(String method, String scheme, String host, int port, String path, String query) {
        this.method = method;
        this.scheme = scheme;
        this.host = HostNames.normalize(host);
        this.port = port;
        this.path = path;
        this.query = query;
    }

    static FakeFilterRequest https(String method, String host, String path, String query) {
        return new FakeFilterRequest(method, "https", host, 443, path, query);
    }

    FakeFilterRequest header(String name, String value) {
        headers.add(name, value);
        return this;
    }

    FakeFilterRequest secret(String name, String value) {
        secrets.put(name, value);
        return this;
    }

    /** Plays the server's part after {@code bodyLimit} asked for the body. */
    FakeFilterRequest bufferedBody(byte[] bytes) {
        body = ByteBuffer.wrap(bytes);
        return this;
    }

    @Override
    public String instanceId() {
        return "sandbox-1";
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
        return query;
    }

    @Override
    public void setQueryParameter(String name, String value) {
        throw new UnsupportedOperationException("not used by aws-sigv4");
    }

    @Override
    public void removeQueryParameter(String name) {
        throw new UnsupportedOperationException("not used by aws-sigv4");
    }

    @Override
    public Headers headers() {
        return headers;
    }

    @Override
    public Optional<ByteBuffer> body() {
        return Optional.ofNullable(body).map(ByteBuffer::asReadOnlyBuffer);
    }

    @Override
    public SecretLookup secrets() {
        return name -> Optional.ofNullable(secrets.get(name));
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
}
