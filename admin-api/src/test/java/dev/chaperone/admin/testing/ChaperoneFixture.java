package dev.chaperone.admin.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.chaperone.server.ChaperoneServer;
import dev.chaperone.server.ProxySettings;
import dev.chaperone.server.plugin.PluginLoader;
import dev.chaperone.server.plugin.PluginRegistry;
import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.TestCertificates;

/**
 * The proxy and the admin API on one data dir, sharing one instance registry, with the built-in plugins found
 * the way the {@code chaperone} command finds them: what a platform talks to, started in-process on port 0.
 * The proxy resolves {@link ProxyFixture#TEST_HOSTS} to 127.0.0.1 and trusts {@link #upstreamCertificates()}.
 */
public final class ChaperoneFixture implements AutoCloseable {

    private final Path workDir;
    private final TestCertificates upstreamCertificates;
    private final ProxySettings settings;
    private final PluginRegistry plugins;
    private AdminFixture admin;
    private ChaperoneServer proxy;

    private ChaperoneFixture(Path workDir, TestCertificates upstreamCertificates, ProxySettings settings,
            PluginRegistry plugins) {
        this.workDir = workDir;
        this.upstreamCertificates = upstreamCertificates;
        this.settings = settings;
        this.plugins = plugins;
    }

    /** Starts both servers under {@code workDir} (use a JUnit {@code @TempDir}). */
    public static ChaperoneFixture start(Path workDir) throws Exception {
        TestCertificates certificates = ProxyFixture.upstreamCertificates(workDir);
        ProxySettings settings = ProxyFixture.settings(workDir, certificates);
        PluginRegistry plugins = new PluginLoader().load(Files.createDirectories(workDir.resolve("plugins")));
        ChaperoneFixture fixture = new ChaperoneFixture(workDir, certificates, settings, plugins);
        fixture.startServers();
        return fixture;
    }

    private void startServers() throws Exception {
        // The admin side loads the store into a new registry; the proxy serves that registry's instances.
        admin = AdminFixture.start(settings.dataDir(), List.copyOf(plugins.plugins()),
                () -> proxy.certificateAuthority().certificatePem());
        proxy = new ChaperoneServer(settings, admin.registry(), List.of());
        try {
            proxy.start();
        } catch (Exception e) {
            admin.close();
            throw e;
        }
    }

    /**
     * Stops both servers, then starts them again on the same data dir with nothing carried over in memory:
     * what works afterwards was loaded from disk.
     */
    public void restart() throws Exception {
        close();
        startServers();
    }

    /** The admin API's client, with the admin token. */
    public AdminClient admin() {
        return admin.client();
    }

    public String adminToken() {
        return admin.adminToken();
    }

    public String adminUri() {
        return admin.uri().toString();
    }

    public int proxyPort() {
        return proxy.proxyPort();
    }

    /** The certificates test upstreams present; the proxy trusts their CA. */
    public TestCertificates upstreamCertificates() {
        return upstreamCertificates;
    }

    public Path workDir() {
        return workDir;
    }

    @Override
    public void close() throws Exception {
        try {
            admin.close();
        } finally {
            proxy.stop();
        }
    }
}
