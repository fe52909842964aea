package dev.chaperone.server.testing;

import java.io.IOException;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.jetty.util.SocketAddressResolver;

import dev.chaperone.server.ChaperoneServer;
import dev.chaperone.server.ProxySettings;
import dev.chaperone.server.chain.ChainCompiler;
import dev.chaperone.server.chain.ChainEntry;
import dev.chaperone.server.chain.ChainValidationException;
import dev.chaperone.server.chain.CompiledChain;
import dev.chaperone.server.instance.Instance;
import dev.chaperone.server.instance.InstanceRegistry;
import dev.chaperone.server.instance.ProxyToken;
import dev.chaperone.server.plugin.LoadedPlugin;
import dev.chaperone.server.plugin.PluginRegistry;
import dev.chaperone.spi.Filter;

/**
 * A real Chaperone proxy for integration tests: started on 127.0.0.1 port 0 with its data directory under
 * a directory the test owns, a hosts file that points the {@link #TEST_HOSTS test names} at 127.0.0.1, and
 * an upstream CA file trusting the {@link TestCertificates} that test upstreams present.
 *
 * <pre>{@code
 * try (ProxyFixture proxy = ProxyFixture.start(tempDir)) {
 *     ProxyFixture.Credentials box = proxy.register("box", TestFilters.allowAll());
 *     Curl.run(List.of("-x", proxy.proxyUrl(box), "--cacert", proxy.caPem().toString(),
 *             "https://api.example.test:" + upstreamPort + "/hello"));
 * }
 * }</pre>
 *
 * <p>Test upstreams use {@link #upstreamCertificates()}'s key store (WireMock: {@code keystorePath},
 * password {@link TestCertificates#PASSWORD}, type PKCS12) or {@link TestUpstream}.
 */
public final class ProxyFixture implements AutoCloseable {

    /** The names the hosts file maps to 127.0.0.1, and that the upstream certificate is valid for. */
    public static final List<String> TEST_HOSTS = List.of("api.example.test", "other.example.test",
            "sse.example.test", "upload.example.test", "denied.example.test", "s3.example.test", "api.stripe.test",
            "api.twilio.test", "sts.amazonaws.test", "localhost");

    static {
        // The JDK's HttpClient refuses Basic proxy authentication for CONNECT unless this is cleared; it is read
        // once, so it is cleared before any test makes a client.
        System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
    }

    /** An instance's proxy credentials. */
    public record Credentials(String id, String token) {

        /** The value of a {@code Proxy-Authorization} header. */
        public String proxyAuthorization() {
            return "Basic " + Base64.getEncoder().encodeToString((id + ":" + token).getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Path workDir;
    private final ProxySettings settings;
    private final UnaryOperator<SocketAddressResolver> resolverWrapper;
    private final TestCertificates upstreamCertificates;
    private final InstanceRegistry registry = new InstanceRegistry();
    private final RecordingListener listener = new RecordingListener();
    private ChaperoneServer server;

    private ProxyFixture(Path workDir, ProxySettings settings, UnaryOperator<SocketAddressResolver> resolverWrapper,
            TestCertificates upstreamCertificates) {
        this.workDir = workDir;
        this.settings = settings;
        this.resolverWrapper = resolverWrapper;
        this.upstreamCertificates = upstreamCertificates;
    }

    /** Starts a proxy with default settings under {@code workDir} (use a JUnit {@code @TempDir}). */
    public static ProxyFixture start(Path workDir) throws Exception {
        return start(workDir, UnaryOperator.identity(), UnaryOperator.identity());
    }

    /**
     * Starts a proxy under {@code workDir}.
     *
     * @param customise changes the settings after the fixture has filled in port, data dir, hosts file and
     *     upstream CA file (for example shorter upstream timeouts)
     * @param resolverWrapper wraps the proxy's resolver, as the address guard does in production
     */
    public static ProxyFixture start(Path workDir, UnaryOperator<ProxySettings> customise,
            UnaryOperator<SocketAddressResolver> resolverWrapper) throws Exception {
        TestCertificates certificates = upstreamCertificates(workDir);
        ProxySettings settings = customise.apply(settings(workDir, certificates));
        ProxyFixture fixture = new ProxyFixture(workDir, settings, resolverWrapper, certificates);
        fixture.startServer();
        return fixture;
    }

    /**
     * Makes the certificates of test upstreams under {@code workDir}, valid for the {@link #TEST_HOSTS} and
     * 127.0.0.1; for tests that start a {@link ChaperoneServer} of their own.
     */
    public static TestCertificates upstreamCertificates(Path workDir) throws Exception {
        return TestCertificates.create(workDir.resolve("upstream"), concat(TEST_HOSTS, List.of("127.0.0.1")));
    }

    /**
     * The settings of a test proxy under {@code workDir}: 127.0.0.1 port 0, data in {@code workDir/data}, a
     * hosts file (written here) pointing the {@link #TEST_HOSTS} at 127.0.0.1, and trust in the test upstreams'
     * CA; for tests that start a {@link ChaperoneServer} of their own.
     */
    public static ProxySettings settings(Path workDir, TestCertificates certificates) throws IOException {
        Path hostsFile = workDir.resolve("hosts");
        List<String> lines = new ArrayList<>();
        lines.add("# test names of the Chaperone proxy fixture");
        lines.add("127.0.0.1 " + String.join(" ", TEST_HOSTS));
        Files.write(hostsFile, lines, StandardCharsets.UTF_8);
        return ProxySettings.defaults(workDir.resolve("data"))
                .withProxy("127.0.0.1", 0)
                .withHostsFile(hostsFile)
                .withUpstreamCaFile(certificates.caPem())
                .withStopTimeout(Duration.ofSeconds(5));
    }

    private void startServer() throws Exception {
        server = new ChaperoneServer(settings, registry, List.of(listener), resolverWrapper);
        server.start();
    }

    /** Stops the proxy and starts a new one with the same data directory, registry and settings. */
    public void restart() throws Exception {
        server.stop();
        startServer();
    }

    /**
     * Registers (or replaces) an instance whose chain is {@code filters}, in order, each as a plugin named
     * {@code test-<index>}; returns its credentials. Use {@link TestFilters} for common filters.
     */
    public Credentials register(String id, Filter... filters) {
        return register(id, ProxyToken.generate(), Map.of(), filters);
    }

    /** Registers (or replaces) an instance with a given token, secrets and chain. */
    public Credentials register(String id, String token, Map<String, String> secrets, Filter... filters) {
        List<LoadedPlugin> plugins = new ArrayList<>();
        List<ChainEntry> entries = new ArrayList<>();
        for (int i = 0; i < filters.length; i++) {
            String name = "test-" + i;
            plugins.add(new LoadedPlugin(TestFilters.factory(name, filters[i]), "test"));
            entries.add(new ChainEntry(name, null));
        }
        return registerChain(id, token, secrets, plugins, entries);
    }

    /**
     * Registers (or replaces) an instance whose chain is compiled from entries as an operator writes them,
     * for tests of real plugins:
     *
     * <pre>{@code
     * proxy.registerChain("box", ProxyToken.generate(), Map.of("stripe", "sk_test"),
     *         List.of(new LoadedPlugin(new AllowlistFilterFactory(), "built-in")),
     *         List.of(new ChainEntry("allowlist", json("{\"hosts\": [\"api.example.test\"]}"))));
     * }</pre>
     *
     * @throws IllegalStateException when the chain does not compile; the cause names the entry
     */
    public Credentials registerChain(String id, String token, Map<String, String> secrets, List<LoadedPlugin> plugins,
            List<ChainEntry> entries) {
        CompiledChain chain;
        try {
            chain = new ChainCompiler(new PluginRegistry(plugins), plugin -> Map.of(), Clock.systemUTC())
                    .compile(id, entries);
        } catch (ChainValidationException e) {
            throw new IllegalStateException("test chain does not compile: entry " + e.index() + " (" + e.plugin()
                    + ") " + e.field() + ": " + e.getMessage(), e);
        }
        Map<String, String> secretsCopy = Map.copyOf(secrets);
        registry.put(new Instance(id, ProxyToken.hash(token), chain, name -> Optional.ofNullable(secretsCopy.get(name)),
                1));
        return new Credentials(id, token);
    }

    /**
     * Runs curl through this proxy as {@code credentials}, trusting the proxy's CA; {@code args} are curl's
     * further arguments, ending with the URL.
     */
    public Curl.Result curl(Credentials credentials, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("-x", proxyUrl(credentials), "--cacert", caPem().toString()));
        all.addAll(List.of(args));
        return Curl.run(all);
    }

    /** The proxy URL with credentials, as a sandbox gets it in {@code HTTPS_PROXY}. */
    public String proxyUrl(Credentials credentials) {
        return "http://" + credentials.id() + ":" + credentials.token() + "@127.0.0.1:" + port();
    }

    /** The proxy's CA certificate (PEM) for {@code curl --cacert}. */
    public Path caPem() {
        return server.certificateAuthority().certificatePath();
    }

    /** An SSL context trusting the proxy's CA, for JDK clients going through the proxy. */
    public SSLContext clientSslContext() throws Exception {
        return trusting(server.certificateAuthority().certificate());
    }

    /** An SSL context that trusts only {@code ca}, such as a proxy's CA as {@code GET /v1/ca} serves it. */
    public static SSLContext trusting(X509Certificate ca) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("chaperone", ca);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /**
     * A JDK HTTP client that goes through this proxy as {@code credentials}, trusting the proxy's CA. The JDK
     * answers the proxy's 407 challenge with the credentials, but only if this class was loaded before the
     * test JVM built its first HttpClient (see the static initialiser); where other tests in the same JVM may
     * have built one first, use curl or {@link RawTunnel}.
     */
    public HttpClient jdkClient(Credentials credentials, HttpClient.Version version) throws Exception {
        return HttpClient.newBuilder()
                .version(version)
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", port())))
                .authenticator(new Authenticator() {
                    @Override
                    protected PasswordAuthentication getPasswordAuthentication() {
                        return new PasswordAuthentication(credentials.id(), credentials.token().toCharArray());
                    }
                })
                .sslContext(clientSslContext())
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    public int port() {
        return server.proxyPort();
    }

    public ChaperoneServer server() {
        return server;
    }

    public InstanceRegistry registry() {
        return registry;
    }

    public RecordingListener listener() {
        return listener;
    }

    /** The certificates test upstreams present; the proxy trusts their CA. */
    public TestCertificates upstreamCertificates() {
        return upstreamCertificates;
    }

    public ProxySettings settings() {
        return settings;
    }

    public Path workDir() {
        return workDir;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop", e);
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
