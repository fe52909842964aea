package dev.chaperone.admin;

import java.util.Objects;

import dev.chaperone.admin.audit.AdminAuditSink;
import dev.chaperone.admin.auth.AdminToken;
import dev.chaperone.server.instance.InstanceService;
import dev.chaperone.server.plugin.PluginRegistry;

/**
 * What the admin API works with, made by whoever starts the server and injected into the resources.
 *
 * @param instances the service that changes instances
 * @param plugins the loaded plugins
 * @param ca the CA certificate for {@code GET /v1/ca}
 * @param metrics the metrics for {@code GET /metrics}
 * @param audit where change events go
 * @param token the admin token callers must present
 */
public record AdminComponents(InstanceService instances, PluginRegistry plugins, CaCertificateSource ca,
        MetricsWriter metrics, AdminAuditSink audit, AdminToken token) {

    public AdminComponents {
        Objects.requireNonNull(instances, "instances");
        Objects.requireNonNull(plugins, "plugins");
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(token, "token");
    }
}
