package dev.chaperone.spi.testing;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.chaperone.spi.FilterRequest;
import dev.chaperone.spi.Headers;
import dev.chaperone.spi.HostNames;
import dev.chaperone.spi.HttpPaths;
import dev.chaperone.spi.SecretLookup;

/**
 * A request as the server hands it to a filter, built by hand so that a filter can be tested without a proxy.
 * Host and path are normalised as the server normalises them, and query parameters are set and removed by the
 * server's rules, so that a filter sees here what it would see in production.
 *
 * <p>Start from {@link #https}, {@link #http} or {@link #of} and add what the test needs:
 * <pre>{@code
 * FakeFilterRequest request = FakeFilterRequest.https("api.example.com", "/v1/items")
 *         .withQuery("page=2")
 *         .withHeader("Accept", "application/json")
 *         .withSecret("api-key", "k-123");
 * }</pre>
 * Unless changed, the request belongs to instance {@code sandbox-1}, has request id {@code req-1}, speaks
 * {@code HTTP/1.1}, and has no query, no headers, no body and no secrets.
 */
public final class FakeFilterRequest implements FilterRequest {

    private final String method;
    private final String scheme;
    private final String host;
    private final int port;
    private final String path;
    private final Headers headers = new Headers();
    private final Map<String, Object> attributes = new HashMap<>();
    private final FakeSecrets ownSecrets = new FakeSecrets();
    private SecretLookup secrets = ownSecrets;
    private String instanceId = "sandbox-1";
    private String requestId = "req-1";
    private String protocol = "HTTP/1.1";
    private String query;
    private ByteBuffer body;

    private FakeFilterRequest(String method, String scheme, String host, int port, String path) {
        this.method = method;
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.path = path;
    }

    /**
     * A request with a raw host and a raw path, normalised as the server would normalise them.
     *
     * @param method the method, such as {@code GET}
     * @param scheme {@code https} for a request inside a tunnel, {@code http} for a plain one
     * @throws IllegalArgumentException when the server would refuse the host, the path or the port
     */
    public static FakeFilterRequest of(String method, String scheme, String rawHost, int port, String rawPath) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(scheme, "scheme");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
        }
        return new FakeFilterRequest(method, scheme, HostNames.normalize(rawHost), port, HttpPaths.normalize(rawPath));
    }

    /** A GET inside a tunnel to port 443; see {@link #of}. */
    public static FakeFilterRequest https(String rawHost, String rawPath) {
        return of("GET", "https", rawHost, 443, rawPath);
    }

    /** A plain GET to port 80; see {@link #of}. */
    public static FakeFilterRequest http(String rawHost, String rawPath) {
        return of("GET", "http", rawHost, 80, rawPath);
    }

    /** Makes the request belong to another instance. */
    public FakeFilterRequest withInstance(String instanceId) {
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        return this;
    }

    /** Gives the request another id. */
    public FakeFilterRequest withRequestId(String requestId) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        return this;
    }

    /** Makes the client speak another protocol, such as {@code HTTP/2}. */
    public FakeFilterRequest withProtocol(String protocol) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        return this;
    }

    /** Sets the raw query string, without {@code ?}; {@code null} means the request has none. */
    public FakeFilterRequest withQuery(String rawQuery) {
        this.query = rawQuery;
        return this;
    }

    /** Adds a header as the client sent it. */
    public FakeFilterRequest withHeader(String name, String value) {
        headers.add(name, value);
        return this;
    }

    /**
     * Plays the server's part once a filter's {@link dev.chaperone.spi.Filter#bodyLimit} asked for the body:
     * {@link #body()} then gives these bytes.
     */
    public FakeFilterRequest withBody(byte[] bytes) {
        this.body = ByteBuffer.wrap(bytes.clone());
        return this;
    }

    /**
     * Gives the instance a secret of that name.
     *
     * @throws IllegalStateException when {@link #withSecrets} replaced the secrets
     */
    public FakeFilterRequest withSecret(String name, String value) {
        if (secrets != ownSecrets) {
            throw new IllegalStateException("the secrets were replaced by withSecrets; put the secret there");
        }
        ownSecrets.put(name, value);
        return this;
    }

    /** Replaces the instance's secrets, for a test that wants to change them or see which were looked up. */
    public FakeFilterRequest withSecrets(SecretLookup secrets) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        return this;
    }

    /**
     * The parameters of the current query, names and values decoded, in query order; a name given more than
     * once keeps its last value. Empty when there is no query.
     */
    public Map<String, String> queryParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String parameter : rawParameters()) {
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            String value = equals < 0 ? "" : parameter.substring(equals + 1);
            parameters.put(decode(name), decode(value));
        }
        return parameters;
    }

    /** The attributes filters set on this request, read-only. */
    public Map<String, Object> attributes() {
        return Collections.unmodifiableMap(attributes);
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
        requireQueryText(name, "name");
        requireQueryText(value, "value");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a query parameter name cannot be empty");
        }
        List<String> kept = parametersNotNamed(name);
        kept.add(encode(name) + "=" + encode(value));
        query = String.join("&", kept);
    }

    @Override
    public void removeQueryParameter(String name) {
        if (query != null) {
            List<String> kept = parametersNotNamed(name);
            query = kept.isEmpty() ? null : String.join("&", kept);
        }
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

    @Override
    public String toString() {
        return "FakeFilterRequest[" + method + " " + scheme + "://" + host + ":" + port + path
                + (query == null ? "" : "?" + query) + "]";
    }

    private List<String> rawParameters() {
        return query == null || query.isEmpty() ? List.of() : List.of(query.split("&", -1));
    }

    /** The raw parameters whose decoded name differs, as the server compares names. */
    private List<String> parametersNotNamed(String name) {
        List<String> kept = new ArrayList<>();
        for (String parameter : rawParameters()) {
            int equals = parameter.indexOf('=');
            if (!decode(equals < 0 ? parameter : parameter.substring(0, equals)).equals(name)) {
                kept.add(parameter);
            }
        }
        return kept;
    }

    private static void requireQueryText(String text, String what) {
        Objects.requireNonNull(text, what);
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a query parameter " + what + " cannot contain CR, LF or NUL");
        }
    }

    /** Percent-encodes all but the RFC 3986 unreserved characters, with upper-case hex, as the server does. */
    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("*", "%2A")
                .replace("%7E", "~");
    }

    /** Decodes percent-escapes and {@code +} as the server does; an escape without two hex digits stays as it is. */
    private static String decode(String raw) {
        byte[] in = raw.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        int i = 0;
        while (i < in.length) {
            int high = i + 2 < in.length ? Character.digit(in[i + 1] & 0xff, 16) : -1;
            int low = i + 2 < in.length ? Character.digit(in[i + 2] & 0xff, 16) : -1;
            if (in[i] == '%' && high >= 0 && low >= 0) {
                out.write(high << 4 | low);
                i += 3;
            } else {
                out.write(in[i] == '+' ? ' ' : in[i]);
                i++;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
