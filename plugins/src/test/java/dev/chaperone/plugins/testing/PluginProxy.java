package dev.chaperone.plugins.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.chaperone.server.chain.ChainEntry;
import dev.chaperone.server.instance.ProxyToken;
import dev.chaperone.server.plugin.LoadedPlugin;
import dev.chaperone.server.plugin.PluginLoader;
import dev.chaperone.server.testing.Curl;
import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.WireMockUpstreams;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;

/**
 * A real proxy running the built-in plugins as production finds them (through {@link PluginLoader}), in front
 * of one WireMock upstream that answers every request with 200 on HTTPS and on plain HTTP. Chains are written
 * as the JSON an operator sends.
 *
 * <p>A JUnit extension: it starts before the first test of its class, stops after the last, and the upstream
 * forgets the requests it received before each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PluginProxy env = new PluginProxy();
 *
 * ProxyFixture.Credentials box = env.register("box", Map.of(),
 *         PluginProxy.entry("allowlist", "{\"hosts\": [\"api.stripe.test\"]}"));
 * CurlAnswer answer = env.curl(box, env.https("api.stripe.test", "/v1/charges"));
 * }</pre>
 */
public final class PluginProxy implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    /** What the upstream answers to every request. */
    public static final String UPSTREAM_BODY = "upstream answered";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Path workDir;
    private List<LoadedPlugin> plugins;
    private ProxyFixture proxy;
    private WireMockServer upstream;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        workDir = Files.createTempDirectory("chaperone-plugins-");
        Path pluginsDir = Files.createDirectories(workDir.resolve("plugins"));
        plugins = List.copyOf(new PluginLoader().load(pluginsDir).plugins());
        proxy = ProxyFixture.start(workDir);
        upstream = WireMockUpstreams.start(proxy.upstreamCertificates());
        upstream.stubFor(any(anyUrl()).willReturn(ok(UPSTREAM_BODY).withHeader("Content-Type", "text/plain")));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        upstream.resetRequests();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (upstream != null) {
                upstream.stop();
            }
            if (proxy != null) {
                proxy.close();
            }
        } finally {
            deleteRecursively(workDir);
        }
    }

    /** A chain entry as an operator writes it: the plugin's name and its config in JSON. */
    public static ChainEntry entry(String plugin, String configJson) {
        try {
            return new ChainEntry(plugin, JSON.readTree(configJson));
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + configJson, e);
        }
    }

    /** Registers (or replaces) an instance with these secrets and this chain of built-in plugins. */
    public ProxyFixture.Credentials register(String id, Map<String, String> secrets, ChainEntry... chain) {
        return proxy.registerChain(id, ProxyToken.generate(), secrets, plugins, List.of(chain));
    }

    /**
     * Runs curl through the proxy as {@code box}; {@code args} are further curl arguments ending with the URL.
     * The headers curl received are kept too.
     */
    public CurlAnswer curl(ProxyFixture.Credentials box, String... args) throws IOException, InterruptedException {
        Path headerFile = Files.createTempFile(workDir, "headers", ".txt");
        try {
            List<String> all = new ArrayList<>(List.of("-D", headerFile.toString()));
            all.addAll(List.of(args));
            Curl.Result result = proxy.curl(box, all.toArray(new String[0]));
            return new CurlAnswer(result, Files.readString(headerFile, StandardCharsets.ISO_8859_1));
        } finally {
            Files.deleteIfExists(headerFile);
        }
    }

    /** An {@code https://} URL of the upstream under a test host name. */
    public String https(String host, String path) {
        return "https://" + host + ":" + upstream.httpsPort() + path;
    }

    public int httpsPort() {
        return upstream.httpsPort();
    }

    /** A plain {@code http://} URL of the upstream under a test host name. */
    public String http(String host, String path) {
        return "http://" + host + ":" + upstream.port() + path;
    }

    /** Every request the upstream received during the current test. */
    public List<LoggedRequest> received() {
        return upstream.findAll(anyRequestedFor(anyUrl()));
    }

    public ProxyFixture proxy() {
        return proxy;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
