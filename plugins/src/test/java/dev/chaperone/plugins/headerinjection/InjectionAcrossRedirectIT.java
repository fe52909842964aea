package dev.chaperone.plugins.headerinjection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.chaperone.plugins.testing.PluginProxy;
import dev.chaperone.server.instance.ProxyToken;
import dev.chaperone.server.plugin.LoadedPlugin;
import dev.chaperone.server.plugin.PluginLoader;
import dev.chaperone.server.testing.Curl;
import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code header-injection} plugin across a redirect to another host (the iron-proxy and tokenizer
 * class of leak): the proxy hands the 302 back instead of following it, and when the sandbox's own client
 * follows it, the request to the other host goes out without the credential.
 */
class InjectionAcrossRedirectIT {

    private static final String SECRET = "sk_live_redirect_0123456789abcdef";

    @TempDir
    static Path workDir;

    static ProxyFixture proxy;
    static TestUpstream upstream;
    static ProxyFixture.Credentials box;
    /** "host authorization" of every request the upstream received. */
    static final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        List<LoadedPlugin> plugins = List.copyOf(new PluginLoader()
                .load(Files.createDirectories(workDir.resolve("plugins"))).plugins());
        proxy = ProxyFixture.start(workDir, UnaryOperator.identity(), UnaryOperator.identity());
        upstream = TestUpstream.start(proxy.upstreamCertificates(), new RedirectingHandler());
        box = proxy.registerChain("redirects", ProxyToken.generate(), Map.of("stripe", SECRET), plugins, List.of(
                PluginProxy.entry("allowlist", """
                        {"hosts": ["api.stripe.test", "api.twilio.test"]}"""),
                PluginProxy.entry("header-injection", """
                        {"hosts": ["api.stripe.test"], "set": {"Authorization": "Bearer ${secret:stripe}"}}""")));
    }

    @AfterAll
    static void stop() {
        upstream.close();
        proxy.close();
    }

    @BeforeEach
    void forget() {
        received.clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--http1.1", "--http2"})
    void theProxyReturnsARedirectInsteadOfFollowingIt(String protocol) throws Exception {
        Curl.Result result = proxy.curl(box, protocol, "https://api.stripe.test:" + upstream.port() + "/redirect");

        assertThat(result.status()).isEqualTo(302);
        assertThat(received).containsExactly("api.stripe.test Bearer " + SECRET);
        assertThat(result.body() + result.stderr()).doesNotContain(SECRET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--http1.1", "--http2"})
    void aRedirectTheSandboxFollowsToAnotherHostCarriesNoCredential(String protocol) throws Exception {
        Curl.Result result = proxy.curl(box, protocol, "-L",
                "https://api.stripe.test:" + upstream.port() + "/redirect");

        assertThat(result.status()).isEqualTo(200);
        assertThat(received).containsExactly("api.stripe.test Bearer " + SECRET, "api.twilio.test null");
    }

    /** {@code /redirect} sends the client to the same upstream under another host name; anything else is 200. */
    private static final class RedirectingHandler extends Handler.Abstract {

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            received.add(request.getHttpURI().getHost() + " " + request.getHeaders().get(HttpHeader.AUTHORIZATION));
            if (request.getHttpURI().getPath().equals("/redirect")) {
                response.setStatus(302);
                response.getHeaders().put(HttpHeader.LOCATION,
                        "https://api.twilio.test:" + request.getHttpURI().getPort() + "/landing");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
                callback.succeeded();
                return true;
            }
            Content.Sink.write(response, true, "landed", callback);
            return true;
        }
    }
}
