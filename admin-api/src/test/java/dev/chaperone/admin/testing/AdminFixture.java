package dev.chaperone.admin.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.chaperone.admin.AdminComponents;
import dev.chaperone.admin.AdminServer;
import dev.chaperone.admin.CaCertificateSource;
import dev.chaperone.admin.MetricsWriter;
import dev.chaperone.admin.auth.AdminToken;
import dev.chaperone.server.chain.ChainCompiler;
import dev.chaperone.server.instance.InstanceRegistry;
import dev.chaperone.server.instance.InstanceService;
import dev.chaperone.server.plugin.LoadedPlugin;
import dev.chaperone.server.plugin.PluginRegistry;
import dev.chaperone.server.secret.SecretKeys;
import dev.chaperone.server.store.FileInstanceStore;

/**
 * A real admin server on port 0 over a data dir, wired the way the server's main wires it: file store,
 * generated secrets key and admin token, the test plugins.
 */
public final class AdminFixture implements AutoCloseable {

    /** What {@code GET /v1/ca} serves in tests. */
    public static final String CA_PEM = "-----BEGIN CERTIFICATE-----\nTUlJQ2Zha2U=\n-----END CERTIFICATE-----\n";

    /** What {@code GET /metrics} serves in tests. */
    public static final String METRICS = "# TYPE chaperone_test_total counter\nchaperone_test_total 1\n";

    private final Path dataDir;
    private final FileInstanceStore store;
    private final InstanceRegistry registry;
    private final InstanceService service;
    private final AdminServer server;
    private final RecordingAuditSink audit;
    private final String adminToken;

    private AdminFixture(Path dataDir, List<LoadedPlugin> plugins, CaCertificateSource ca) throws Exception {
        this.dataDir = dataDir;
        PluginRegistry pluginRegistry = new PluginRegistry(plugins);
        ChainCompiler compiler = new ChainCompiler(pluginRegistry, name -> Map.of(), Clock.systemUTC());
        store = FileInstanceStore.open(dataDir);
        registry = new InstanceRegistry();
        service = new InstanceService(store, compiler, registry, SecretKeys.loadOrCreate(dataDir, Optional.empty()),
                Clock.systemUTC());
        service.start();
        AdminToken token = AdminToken.loadOrCreate(dataDir, Optional.empty());
        adminToken = Files.readString(dataDir.resolve(AdminToken.FILE_NAME), StandardCharsets.UTF_8).strip();
        audit = new RecordingAuditSink();
        MetricsWriter metrics = (OutputStream out) -> out.write(METRICS.getBytes(StandardCharsets.UTF_8));
        server = new AdminServer("127.0.0.1", 0,
                new AdminComponents(service, pluginRegistry, ca, metrics, audit, token));
        server.start();
    }

    /** The test plugins: {@code host-rules} and {@code header-secret}. */
    public static List<LoadedPlugin> testPlugins() {
        return List.of(new LoadedPlugin(new HostRulesFilterFactory(), "test"),
                new LoadedPlugin(new HeaderSecretFilterFactory(), "test"));
    }

    public static AdminFixture start(Path dataDir) throws Exception {
        return new AdminFixture(dataDir, testPlugins(), () -> CA_PEM);
    }

    public static AdminFixture start(Path dataDir, List<LoadedPlugin> plugins) throws Exception {
        return new AdminFixture(dataDir, plugins, () -> CA_PEM);
    }

    /** A server with {@code plugins} whose {@code GET /v1/ca} serves what {@code ca} gives. */
    public static AdminFixture start(Path dataDir, List<LoadedPlugin> plugins, CaCertificateSource ca)
            throws Exception {
        return new AdminFixture(dataDir, plugins, ca);
    }

    /** A server whose CA source is {@code ca}, to see how the API copes with a failing component. */
    public static AdminFixture startWithCa(Path dataDir, CaCertificateSource ca) throws Exception {
        return new AdminFixture(dataDir, testPlugins(), ca);
    }

    public URI uri() {
        return server.uri();
    }

    public int port() {
        return server.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    public InstanceRegistry registry() {
        return registry;
    }

    public InstanceService service() {
        return service;
    }

    public RecordingAuditSink audit() {
        return audit;
    }

    public String adminToken() {
        return adminToken;
    }

    public AdminClient client() {
        return new AdminClient(uri(), adminToken);
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }

    /** Reads the generated admin token of a data dir. */
    public static String adminTokenOf(Path dataDir) throws IOException {
        return Files.readString(dataDir.resolve(AdminToken.FILE_NAME), StandardCharsets.UTF_8).strip();
    }
}
