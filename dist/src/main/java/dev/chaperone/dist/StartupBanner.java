package dev.chaperone.dist;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The few lines printed once the server is ready: what runs where, how to reach the admin API, which CA a
 * sandbox must trust, and how to point a sandbox at the proxy.
 *
 * @param version the Chaperone version
 * @param proxyHost the host the proxy listens on, as configured
 * @param proxyPort the port the proxy actually listens on (the chosen one when 0 was configured)
 * @param adminHost the host the admin API listens on
 * @param adminPort the port the admin API actually listens on
 * @param adminTokenFile the file holding the generated admin token; empty when the token is configured
 * @param caFingerprint the SHA-256 fingerprint of the CA certificate
 * @param caCertificate the CA certificate's PEM file
 * @param plugins the names of the loaded plugins, in load order
 */
public record StartupBanner(
        String version,
        String proxyHost,
        int proxyPort,
        String adminHost,
        int adminPort,
        Optional<Path> adminTokenFile,
        String caFingerprint,
        Path caCertificate,
        List<String> plugins) {

    public StartupBanner {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(proxyHost, "proxyHost");
        Objects.requireNonNull(adminHost, "adminHost");
        Objects.requireNonNull(adminTokenFile, "adminTokenFile");
        Objects.requireNonNull(caFingerprint, "caFingerprint");
        Objects.requireNonNull(caCertificate, "caCertificate");
        plugins = List.copyOf(plugins);
    }

    /** The banner, one string per line, without line breaks. */
    public List<String> lines() {
        String proxy = authority(proxyHost, proxyPort);
        String token = adminTokenFile.map(file -> "admin token in " + file)
                .orElse("admin token from chaperone.admin.token");
        return List.of(
                "Chaperone " + version + " is ready",
                "  proxy      " + proxy,
                "  admin API  http://" + authority(adminHost, adminPort) + " (" + token + ")",
                "  CA         " + caCertificate + " (SHA-256 " + caFingerprint + ")",
                "  plugins    " + (plugins.isEmpty() ? "(none)" : String.join(", ", plugins)),
                "  sandbox    HTTPS_PROXY=http://<instance-id>:<proxy-token>@" + reachable(proxyHost, proxyPort));
    }

    @Override
    public String toString() {
        return String.join(System.lineSeparator(), lines());
    }

    /** An address a sandbox can use: a wildcard bind address says nothing about where the proxy is. */
    private static String reachable(String host, int port) {
        boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        return wildcard ? "<proxy-host>:" + port : authority(host, port);
    }

    private static String authority(String host, int port) {
        boolean ipv6 = host.contains(":") && !host.startsWith("[");
        return (ipv6 ? "[" + host + "]" : host) + ":" + port;
    }
}
