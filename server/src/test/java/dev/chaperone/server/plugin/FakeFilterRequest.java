package dev.chaperone.server.plugin;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.chaperone.spi.FilterRequest;
import dev.chaperone.spi.Headers;
import dev.chaperone.spi.SecretLookup;

/** A request as a filter sees it, without a proxy: a GET to https://api.example.test/v1/items. */
final class FakeFilterRequest implements FilterRequest {

    private final Headers headers = new Headers();
    private final Map<String, Object> attributes = new HashMap<>();

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
        return "GET";
    }

    @Override
    public String scheme() {
        return "https";
    }

    @Override
    public String host() {
        return "api.example.test";
    }

    @Override
    public int port() {
        return 443;
    }

    @Override
    public String protocol() {
        return "HTTP/1.1";
    }

    @Override
    public String path() {
        return "/v1/items";
    }

    @Override
    public String query() {
        return null;
    }

    @Override
    public void setQueryParameter(String name, String value) {
        throw new UnsupportedOperationException("the fake has no query");
    }

    @Override
    public void removeQueryParameter(String name) {
        throw new UnsupportedOperationException("the fake has no query");
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
        return name -> Optional.empty();
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
