package dev.chaperone.plugins.responsescrub;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.chaperone.plugins.testing.PluginProxy;
import dev.chaperone.server.chain.ChainEntry;
import dev.chaperone.server.instance.ProxyToken;
import dev.chaperone.server.plugin.LoadedPlugin;
import dev.chaperone.server.plugin.PluginLoader;
import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code response-scrub} behind {@code header-injection} through the real proxy, against an upstream that
 * echoes the request back the way httpbin and careless error pages do: in a response header, in a JSON body
 * written in small pieces (so the secret straddles chunks), in a binary body, and compressed.
 */
class ResponseScrubIT {

    private static final String SECRET = "sk_live_51HxQ2eC39HqLyjWDarjtT1zdp7dc";

    @TempDir
    static Path workDir;

    static ProxyFixture proxy;
    static TestUpstream upstream;
    static ProxyFixture.Credentials box;
    static final AtomicReference<String> acceptEncoding = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        List<LoadedPlugin> plugins = List.copyOf(new PluginLoader()
                .load(Files.createDirectories(workDir.resolve("plugins"))).plugins());
        proxy = ProxyFixture.start(workDir, UnaryOperator.identity(), UnaryOperator.identity());
        upstream = TestUpstream.start(proxy.upstreamCertificates(), new EchoHandler());
        box = proxy.registerChain("scrubbed", ProxyToken.generate(), Map.of("stripe", SECRET), plugins, List.of(
                PluginProxy.entry("allowlist", """
                        {"hosts": ["api.stripe.test"]}"""),
                PluginProxy.entry("header-injection", """
                        {"hosts": ["api.stripe.test"], "set": {"Authorization": "Bearer ${secret:stripe}"}}"""),
                PluginProxy.entry("response-scrub", """
                        {"secrets": ["stripe"]}""")));
    }

    @AfterAll
    static void stop() {
        upstream.close();
        proxy.close();
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void anEchoedSecretIsScrubbedFromHeadersAndTextBodies(HttpClient.Version version) throws Exception {
        HttpResponse<String> response = get(version, "/echo");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-echo-authorization")).hasValue("Bearer [redacted]");
        assertThat(response.body()).isEqualTo("{\"headers\": {\"Authorization\": \"Bearer [redacted]\"}}");
        assertThat(response.headers().map().toString()).doesNotContain(SECRET);
        assertThat(acceptEncoding.get()).as("Accept-Encoding upstream").isNull();
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void binaryBodiesPassUntouched(HttpClient.Version version) throws Exception {
        HttpResponse<String> response = get(version, "/binary");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Bearer " + SECRET);
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void aCompressedTextBodyIsRefusedRatherThanPassedUnscrubbed(HttpClient.Version version) throws Exception {
        HttpResponse<String> response = get(version, "/compressed");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("filter_failed").doesNotContain(SECRET);
    }

    private static HttpResponse<String> get(HttpClient.Version version, String path) throws Exception {
        HttpClient client = proxy.jdkClient(box, version);
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("https://api.stripe.test:" + upstream.port() + path))
                .header("Accept-Encoding", "gzip").build();
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Echoes the Authorization header it received: {@code /echo} as text, others as binary or "compressed". */
    private static final class EchoHandler extends Handler.Abstract {

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            acceptEncoding.set(request.getHeaders().get(HttpHeader.ACCEPT_ENCODING));
            String authorization = String.valueOf(request.getHeaders().get(HttpHeader.AUTHORIZATION));
            String path = request.getHttpURI().getPath();
            if (path.equals("/binary")) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
                Content.Sink.write(response, true, authorization, callback);
            } else if (path.equals("/compressed")) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
                Content.Sink.write(response, true, authorization, callback);
            } else {
                response.getHeaders().put("X-Echo-Authorization", authorization);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                String body = "{\"headers\": {\"Authorization\": \"" + authorization + "\"}}";
                writeInPieces(response, body, 0, callback);
            }
            return true;
        }

        /** Writes the body seven bytes at a time, so that the secret crosses several chunks. */
        private static void writeInPieces(Response response, String body, int from, Callback callback) {
            int to = Math.min(body.length(), from + 7);
            boolean last = to == body.length();
            Content.Sink.write(response, last, body.substring(from, to), last ? callback
                    : Callback.from(() -> writeInPieces(response, body, to, callback), callback::failed));
        }
    }
}
