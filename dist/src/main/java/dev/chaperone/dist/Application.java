package dev.chaperone.dist;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.eclipse.jetty.util.SocketAddressResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chaperone.admin.AdminComponents;
import dev.chaperone.admin.AdminServer;
import dev.chaperone.admin.audit.AdminAuditSink;
import dev.chaperone.admin.auth.AdminToken;
import dev.chaperone.server.ChaperoneServer;
import dev.chaperone.server.ProxySettings;
import dev.chaperone.server.audit.AuditLog;
import dev.chaperone.server.chain.ChainCompiler;
import dev.chaperone.server.config.ChaperoneConfig;
import dev.chaperone.server.instance.InstanceRegistry;
import dev.chaperone.server.instance.InstanceService;
import dev.chaperone.server.metrics.Metrics;
import dev.chaperone.server.net.AddressGuard;
import dev.chaperone.server.plugin.LoadedPlugin;
import dev.chaperone.server.plugin.PluginRegistry;
import dev.chaperone.server.secret.SecretKeys;
import dev.chaperone.server.store.FileInstanceStore;
import dev.chaperone.server.tls.CertificateAuthority;

/**
 * A running Chaperone: the store and instances, the proxy, the admin API, the audit log and the metrics,
 * wired together from one configuration. {@link #close()} stops them in the reverse order, letting running
 * requests finish first.
 */
final class Application implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    private final List<AutoCloseable> started = new ArrayList<>();
    private volatile List<InetSocketAddress> ownListeners = List.of();
    private ChaperoneServer proxy;
    private AdminServer admin;
    private StartupBanner banner;

    private Application() {
    }

    /**
     * Starts everything; on failure, what was already started is stopped again before the exception leaves.
     */
    static Application start(ChaperoneConfig config, PluginRegistry plugins) throws Exception {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(plugins, "plugins");
        Application application = new Application();
        try {
            application.startAll(config, plugins);
        } catch (Exception | Error e) {
            application.close();
            throw e;
        }
        return application;
    }

    private void startAll(ChaperoneConfig config, PluginRegistry plugins) throws Exception {
        Path dataDir = config.dataDir();
        Files.createDirectories(dataDir);

        AuditLog audit = new AuditLog(config.logDir(), config.audit().maxFileSize(), config.audit().maxFiles());
        started.add(audit);
        Metrics metrics = new Metrics(config.metricsInstanceLabels());

        InstanceRegistry registry = new InstanceRegistry();
        ChainCompiler compiler = new ChainCompiler(plugins, config::pluginSettings, Clock.systemUTC());
        FileInstanceStore store = FileInstanceStore.open(dataDir);
        started.add(store);
        InstanceService instances = new InstanceService(store, compiler, registry,
                SecretKeys.loadOrCreate(dataDir, config.secretsKey()), Clock.systemUTC());
        instances.start();

        proxy = new ChaperoneServer(proxySettings(config), registry, List.of(audit, metrics), addressGuard(config));
        proxy.start();
        started.add(proxy::stop);
        CertificateAuthority authority = proxy.certificateAuthority();

        AdminToken token = AdminToken.loadOrCreate(dataDir, config.adminToken());
        AdminAuditSink adminAudit = change -> {
            audit.adminChange(change.actor(), change.action(), change.instanceId(), change.fields());
            metrics.onAdminChange(change.action());
        };
        AdminComponents components = new AdminComponents(instances, plugins, authority::certificatePem,
                metrics::writeTo, adminAudit, token);
        admin = new AdminServer(config.admin().host(), config.admin().port(), components);
        admin.start();
        started.add(admin);
        ownListeners = List.of(new InetSocketAddress(config.proxy().host(), proxy.proxyPort()),
                new InetSocketAddress(config.admin().host(), admin.port()));

        Optional<Path> tokenFile = config.adminToken().isPresent()
                ? Optional.empty() : Optional.of(dataDir.resolve(AdminToken.FILE_NAME).toAbsolutePath());
        List<String> pluginNames = plugins.plugins().stream().map(LoadedPlugin::name).toList();
        banner = new StartupBanner(Version.current(), config.proxy().host(), proxy.proxyPort(),
                config.admin().host(), admin.port(), tokenFile, authority.fingerprint(),
                authority.certificatePath().toAbsolutePath(), pluginNames);
    }

    static ProxySettings proxySettings(ChaperoneConfig config) {
        ChaperoneConfig.Limits limits = config.limits();
        ProxySettings defaults = ProxySettings.defaults(config.dataDir());
        return new ProxySettings(config.proxy().host(), config.proxy().port(), config.dataDir(),
                config.dnsHostsFile(), config.upstreamCaFile(), limits.idleTimeout(), limits.tlsHandshakeTimeout(),
                limits.maxHeaderSize(), limits.upstreamConnectTimeout(), limits.upstreamIdleTimeout(),
                limits.upstreamPoolIdleTimeout(), limits.shutdownTimeout(), defaults.leafCacheSize(),
                limits.maxBodySize(), limits.connectionsPerInstance(), limits.headerReadTimeout());
    }

    /**
     * Wraps the upstream resolver in the address guard. The guard asks for the proxy's own listeners on each
     * lookup, and they are only known once both servers are bound (port 0), so they are filled in after start.
     */
    private UnaryOperator<SocketAddressResolver> addressGuard(ChaperoneConfig config) {
        return resolver -> new AddressGuard(resolver, config.upstreamAllowPrivate(), () -> ownListeners);
    }

    StartupBanner banner() {
        return banner;
    }

    int proxyPort() {
        return proxy.proxyPort();
    }

    int adminPort() {
        return admin.port();
    }

    /** Stops the admin API, then the proxy (gracefully), then the store and the audit log. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", started.get(i), e.toString());
            }
        }
        started.clear();
    }
}
