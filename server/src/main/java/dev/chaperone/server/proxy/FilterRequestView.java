package dev.chaperone.server.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.chaperone.spi.FilterRequest;
import dev.chaperone.spi.Headers;
import dev.chaperone.spi.SecretLookup;

/**
 * The request as the chain sees and changes it; the upstream request is rebuilt from it. The target
 * (scheme, host, port) is fixed at construction and has no setter.
 */
final class FilterRequestView implements FilterRequest {

    private final String instanceId;
    private final String requestId;
    private final String method;
    private final String scheme;
    private final String host;
    private final int port;
    private final String protocol;
    private final String path;
    private final Headers headers;
    private final SecretLookup secrets;
    private final Map<String, Object> attributes = new HashMap<>();
    private String query;
    private ByteBuffer body;

    FilterRequestView(String instanceId, String requestId, String method, String scheme, String host, int port,
            String protocol, String path, String query, Headers headers, SecretLookup secrets) {
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.method = Objects.requireNonNull(method, "method");
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.path = Objects.requireNonNull(path, "path");
        this.query = query;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public String requestId() {
        return requestId;
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
        return protocol;
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
        checkQueryText(name, "name");
        checkQueryText(value, "value");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a query parameter name cannot be empty");
        }
        List<String> kept = parametersWithout(name);
        kept.add(encode(name) + "=" + encode(value));
        query = String.join("&", kept);
    }

    @Override
    public void removeQueryParameter(String name) {
        if (query == null) {
            return;
        }
        List<String> kept = parametersWithout(name);
        query = kept.isEmpty() ? null : String.join("&", kept);
    }

    @Override
    public Headers headers() {
        return headers;
    }

    @Override
    public Optional<ByteBuffer> body() {
        return body == null ? Optional.empty() : Optional.of(body.asReadOnlyBuffer());
    }

    void setBody(ByteBuffer body) {
        this.body = body;
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

    /** The path and query as they go upstream. */
    String pathAndQuery() {
        return query == null ? path : path + "?" + query;
    }

    private List<String> parametersWithout(String name) {
        List<String> kept = new ArrayList<>();
        if (query == null || query.isEmpty()) {
            return kept;
        }
        for (String parameter : query.split("&", -1)) {
            int equals = parameter.indexOf('=');
            String rawName = equals >= 0 ? parameter.substring(0, equals) : parameter;
            if (!decode(rawName).equals(name)) {
                kept.add(parameter);
            }
        }
        return kept;
    }

    private static void checkQueryText(String text, String what) {
        Objects.requireNonNull(text, what);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("a query parameter " + what + " cannot contain CR, LF or NUL");
            }
        }
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** Decodes percent-escapes and {@code +}; a broken escape is kept as it is. */
    static String decode(String raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length() && Character.digit(raw.charAt(i + 1), 16) >= 0
                    && Character.digit(raw.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "FilterRequest[" + requestId + " " + method + " " + scheme + "://" + host + ":" + port + path + "]";
    }
}
