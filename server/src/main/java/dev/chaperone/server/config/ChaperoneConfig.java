package dev.chaperone.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.chaperone.server.net.Cidr;

/**
 * Every setting of a Chaperone server, read once at start-up by {@link ConfigLoader} and validated there.
 * Immutable; relative paths have already been resolved against {@link #home()}.
 *
 * @param home the installation directory that relative paths are resolved against ({@code chaperone.home})
 * @param proxy where the proxy listens ({@code chaperone.proxy.host} / {@code .port}); port 0 picks one
 * @param admin where the admin API listens ({@code chaperone.admin.host} / {@code .port})
 * @param dataDir the CA, the store and the generated admin token ({@code chaperone.data.dir})
 * @param pluginsDir third-party plugin JARs ({@code chaperone.plugins.dir})
 * @param logDir the audit log ({@code chaperone.log.dir})
 * @param adminToken the admin API's bearer token; empty means one is generated into the data dir
 * @param secretsKey the base64 256-bit key that encrypts stored secrets; empty means one is generated
 * @param upstreamCaFile extra CA certificates (PEM) trusted for upstream connections, beside the JDK's
 * @param upstreamAllowPrivate private address blocks the address guard lets through
 * @param dnsHostsFile a hosts file consulted before DNS
 * @param audit the audit log's rotation
 * @param metricsInstanceLabels whether metrics carry an {@code instance} label (one series per sandbox)
 * @param limits sizes, timeouts and connection limits
 * @param pluginSettings the global settings of each plugin by plugin name, keyed without the
 *     {@code chaperone.plugin.<name>.} prefix
 */
public record ChaperoneConfig(
        Path home,
        Endpoint proxy,
        Endpoint admin,
        Path dataDir,
        Path pluginsDir,
        Path logDir,
        Optional<String> adminToken,
        Optional<String> secretsKey,
        Optional<Path> upstreamCaFile,
        List<Cidr> upstreamAllowPrivate,
        Optional<Path> dnsHostsFile,
        Audit audit,
        boolean metricsInstanceLabels,
        Limits limits,
        Map<String, Map<String, String>> pluginSettings) {

    public ChaperoneConfig {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(pluginsDir, "pluginsDir");
        Objects.requireNonNull(logDir, "logDir");
        Objects.requireNonNull(adminToken, "adminToken");
        Objects.requireNonNull(secretsKey, "secretsKey");
        Objects.requireNonNull(upstreamCaFile, "upstreamCaFile");
        upstreamAllowPrivate = List.copyOf(upstreamAllowPrivate);
        Objects.requireNonNull(dnsHostsFile, "dnsHostsFile");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(limits, "limits");
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        pluginSettings.forEach((name, settings) -> copy.put(name, Map.copyOf(settings)));
        pluginSettings = Map.copyOf(copy);
    }

    /**
     * The global settings of one plugin ({@code chaperone.plugin.<name>.*}), keyed without that prefix;
     * empty when it has none. Settings come from the properties file and system properties; an environment
     * variable overrides a setting written there but cannot add one, because an environment variable's
     * name does not tell where the dots of a key were.
     */
    public Map<String, String> pluginSettings(String pluginName) {
        return pluginSettings.getOrDefault(pluginName, Map.of());
    }

    /** The decoded secrets key, 32 bytes, when one is configured. */
    public Optional<byte[]> secretsKeyBytes() {
        return secretsKey.map(key -> Base64.getDecoder().decode(key));
    }

    @Override
    public String toString() {
        return "ChaperoneConfig[home=" + home + ", proxy=" + proxy + ", admin=" + admin + ", dataDir=" + dataDir
                + ", pluginsDir=" + pluginsDir + ", logDir=" + logDir
                + ", adminToken=" + adminToken.map(token -> "(set)").orElse("(generated)")
                + ", secretsKey=" + secretsKey.map(key -> "(set)").orElse("(generated)")
                + ", upstreamCaFile=" + upstreamCaFile.map(Path::toString).orElse("(none)")
                + ", upstreamAllowPrivate=" + upstreamAllowPrivate
                + ", dnsHostsFile=" + dnsHostsFile.map(Path::toString).orElse("(none)")
                + ", audit=" + audit + ", metricsInstanceLabels=" + metricsInstanceLabels + ", limits=" + limits
                + ", plugins with settings=" + pluginSettings.keySet() + "]";
    }

    /**
     * A listening address.
     *
     * @param host a host name or IP literal to bind
     * @param port 0 to 65535; 0 lets the system pick a free port
     */
    public record Endpoint(String host, int port) {

        public Endpoint {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be from 0 to 65535");
            }
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * How the audit log rotates.
     *
     * @param maxFileSize the size in bytes at which {@code audit.log} is rotated
     * @param maxFiles how many rotated files ({@code audit.log.1} ... {@code audit.log.N}) are kept
     */
    public record Audit(long maxFileSize, int maxFiles) {

        public Audit {
            if (maxFileSize < 1 || maxFiles < 1) {
                throw new IllegalArgumentException("audit rotation needs a positive size and file count");
            }
        }
    }

    /**
     * What one client or request may use.
     *
     * @param maxHeaderSize the largest request head, in bytes (431 above it)
     * @param maxBodySize the largest request body, in bytes (413 above it)
     * @param idleTimeout how long a client connection may be idle
     * @param tlsHandshakeTimeout how long a client's TLS handshake inside a tunnel may take
     * @param upstreamConnectTimeout how long connecting to an upstream may take (504 after it)
     * @param upstreamIdleTimeout how long an upstream may stay silent during an exchange (504 after it)
     * @param upstreamPoolIdleTimeout how long an upstream connection with no exchange on it is kept for reuse
     * @param shutdownTimeout how long running requests may take to finish when the server stops
     * @param connectionsPerInstance how many client connections one instance may hold open at once
     * @param headerReadTimeout how long a client may take to deliver a complete request head, counted from when
     *     its connection opened, its tunnel's handshake finished or its previous HTTP/1.1 exchange ended,
     *     however often it sends a byte (slowloris); also how long an idle keep-alive connection is kept
     */
    public record Limits(
            int maxHeaderSize,
            long maxBodySize,
            Duration idleTimeout,
            Duration tlsHandshakeTimeout,
            Duration upstreamConnectTimeout,
            Duration upstreamIdleTimeout,
            Duration upstreamPoolIdleTimeout,
            Duration shutdownTimeout,
            int connectionsPerInstance,
            Duration headerReadTimeout) {

        public Limits {
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(tlsHandshakeTimeout, "tlsHandshakeTimeout");
            Objects.requireNonNull(upstreamConnectTimeout, "upstreamConnectTimeout");
            Objects.requireNonNull(upstreamIdleTimeout, "upstreamIdleTimeout");
            Objects.requireNonNull(upstreamPoolIdleTimeout, "upstreamPoolIdleTimeout");
            Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
            Objects.requireNonNull(headerReadTimeout, "headerReadTimeout");
            if (maxHeaderSize < 1 || maxBodySize < 1 || connectionsPerInstance < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }
}
