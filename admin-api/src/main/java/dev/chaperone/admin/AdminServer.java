package dev.chaperone.admin;

import java.net.URI;
import java.util.List;
import java.util.Objects;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.CommonProperties;
import org.glassfish.jersey.inject.hk2.AbstractBinder;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.jetty.JettyHttpContainer;
import org.glassfish.jersey.server.ContainerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chaperone.admin.audit.AdminAuditSink;
import dev.chaperone.admin.auth.AdminAuthFilter;
import dev.chaperone.admin.auth.AdminToken;
import dev.chaperone.admin.http.BodyLimitFilter;
import dev.chaperone.admin.http.JsonMapperResolver;
import dev.chaperone.admin.http.ProblemErrorHandler;
import dev.chaperone.admin.http.RequestIdFilter;
import dev.chaperone.admin.problem.ProblemMapper;
import dev.chaperone.admin.resources.CaResource;
import dev.chaperone.admin.resources.HealthResource;
import dev.chaperone.admin.resources.InstancesResource;
import dev.chaperone.admin.resources.MetricsResource;
import dev.chaperone.admin.resources.OpenApiResource;
import dev.chaperone.admin.resources.PluginsResource;
import dev.chaperone.admin.resources.SecretsResource;
import dev.chaperone.server.instance.InstanceService;
import dev.chaperone.server.plugin.PluginRegistry;

/**
 * The admin API's HTTP server: Jersey on a Jetty server of its own, separate from the proxy listener, so the
 * two can listen on different interfaces and the proxy runs without it.
 */
public final class AdminServer implements AutoCloseable {

    /** The JAX-RS resource classes of the API; the OpenAPI document describes exactly these. */
    public static final List<Class<?>> RESOURCES = List.of(InstancesResource.class, SecretsResource.class,
            PluginsResource.class, CaResource.class, HealthResource.class, MetricsResource.class,
            OpenApiResource.class);

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final Server server;
    private final ServerConnector connector;

    /**
     * @param host the interface to listen on
     * @param port the port, 0 for any free one (see {@link #port()})
     * @param components what the resources work with
     */
    public AdminServer(String host, int port, AdminComponents components) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(components, "components");
        QueuedThreadPool threads = new QueuedThreadPool(32, 2);
        threads.setName("admin");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setErrorHandler(new ProblemErrorHandler());
        server.setHandler(ContainerFactory.createContainer(JettyHttpContainer.class, application(components)));
    }

    /** The Jersey application: resources, filters, the problem mapper and the components to inject. */
    static ResourceConfig application(AdminComponents components) {
        ResourceConfig config = new ResourceConfig();
        RESOURCES.forEach(config::register);
        config.register(RequestIdFilter.class);
        config.register(AdminAuthFilter.class);
        config.register(BodyLimitFilter.class);
        config.register(ProblemMapper.class);
        config.register(JsonMapperResolver.class);
        config.register(JacksonFeature.withoutExceptionMappers());
        config.register(new AbstractBinder() {
            @Override
            protected void configure() {
                bind(components.instances()).to(InstanceService.class);
                bind(components.plugins()).to(PluginRegistry.class);
                bind(components.ca()).to(CaCertificateSource.class);
                bind(components.metrics()).to(MetricsWriter.class);
                bind(components.audit()).to(AdminAuditSink.class);
                bind(components.token()).to(AdminToken.class);
            }
        });
        // Only what is registered above: no providers found on the class path, no WADL.
        config.property(CommonProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true);
        config.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        config.property(ServerProperties.BV_FEATURE_DISABLE, true);
        return config;
    }

    /** Starts listening; the port is known from then on. */
    public void start() throws Exception {
        server.start();
        LOG.info("admin API listening on {}", uri());
    }

    /** The port the server listens on, once started. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The base URI of the API, once started. */
    public URI uri() {
        String host = connector.getHost();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** Stops listening; calls in progress get a short grace period. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("the admin server did not stop cleanly", e);
        }
        LOG.info("admin API stopped");
    }
}
