package dev.chaperone.plugins.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

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
 * <pre>{@code
 * PluginProxy env = PluginProxy.start(tempDir);
 * ProxyFixture.Credentials box = env.register("box", Map.of(),
 *         PluginProxy.entry("allowlist", "{\"hosts\": [\"api.stripe.test\"]}"));
 * CurlAnswer answer = env.curl(box, env.https("api.stripe.test", "/v1/charges"));
 * }</pre>
 */
public final class PluginProxy implements AutoCloseable {

    /** What the upstream answers to every request. */
    public static final String UPSTREAM_BODY = "upstream answered";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProxyFixture proxy;
    private final WireMockServer upstream;
    private final List<LoadedPlugin> plugins;
    private final Path workDir;

    private PluginProxy(ProxyFixture proxy, WireMockServer upstream, List<LoadedPlugin> plugins, Path workDir) {
        this.proxy = proxy;
        this.upstream = upstream;
        this.plugins = plugins;
        this.workDir = workDir;
    }

    /** Starts the proxy and the upstream under {@code workDir} (a JUnit {@code @TempDir}). */
    public static PluginProxy start(Path workDir) throws Exception {
        Path pluginsDir = Files.createDirectories(workDir.resolve("plugins"));
        List<LoadedPlugin> plugins = List.copyOf(new PluginLoader().load(pluginsDir).plugins());
        ProxyFixture proxy = ProxyFixture.start(workDir);
        WireMockServer upstream = WireMockUpstreams.start(proxy.upstreamCertificates());
        upstream.stubFor(any(anyUrl()).willReturn(ok(UPSTREAM_BODY).withHeader("Content-Type", "text/plain")));
        return new PluginProxy(proxy, upstream, plugins, workDir);
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

    /** Every request the upstream received since it started or was last {@link #forgetRequests() reset}. */
    public List<LoggedRequest> received() {
        return upstream.findAll(anyRequestedFor(anyUrl()));
    }

    /** Empties the upstream's request journal. */
    public void forgetRequests() {
        upstream.resetRequests();
    }

    public ProxyFixture proxy() {
        return proxy;
    }

    @Override
    public void close() {
        try {
            upstream.stop();
        } finally {
            proxy.close();
        }
    }
}
