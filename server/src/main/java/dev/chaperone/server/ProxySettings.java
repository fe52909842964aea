package dev.chaperone.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of the proxy listener, its certificate authority and its upstream client.
 *
 * @param proxyHost the address the proxy listens on
 * @param proxyPort the port, 0 to let the system pick one (see {@link ChaperoneServer#proxyPort()})
 * @param dataDir where the CA certificate and key are kept
 * @param hostsFile an optional hosts file consulted before DNS
 * @param upstreamCaFile an optional PEM file of CA certificates trusted upstream beside the JDK's
 * @param idleTimeout how long a client connection may stay silent
 * @param tlsHandshakeTimeout how long a client has to finish the TLS handshake inside a tunnel
 * @param maxRequestHeaderSize the most bytes of request line and headers (beyond: 431)
 * @param upstreamConnectTimeout how long connecting to an upstream may take (beyond: 504)
 * @param upstreamIdleTimeout how long an upstream may stay silent during an exchange (beyond: 504)
 * @param upstreamPoolIdleTimeout how long an upstream connection with no exchange on it is kept for reuse, and
 *     how long the upstream client remembers a host after its last connection closed
 * @param stopTimeout how long {@link ChaperoneServer#stop()} waits for running requests
 * @param leafCacheSize the most leaf certificates kept
 * @param maxBodySize the most bytes of one request body (beyond: 413, and an upstream exchange already under
 *     way is aborted)
 * @param connectionsPerInstance how many client connections one instance may hold open at once (beyond: 429)
 * @param headerReadTimeout how long a client may take to deliver a complete request head, counted from when
 *     its connection opened, its tunnel's TLS handshake finished or its previous HTTP/1.1 exchange ended; a
 *     client that trickles its headers is disconnected after it however often it sends a byte
 */
public record ProxySettings(
        String proxyHost,
        int proxyPort,
        Path dataDir,
        Optional<Path> hostsFile,
        Optional<Path> upstreamCaFile,
        Duration idleTimeout,
        Duration tlsHandshakeTimeout,
        int maxRequestHeaderSize,
        Duration upstreamConnectTimeout,
        Duration upstreamIdleTimeout,
        Duration upstreamPoolIdleTimeout,
        Duration stopTimeout,
        int leafCacheSize,
        long maxBodySize,
        int connectionsPerInstance,
        Duration headerReadTimeout) {

    public ProxySettings {
        Objects.requireNonNull(proxyHost, "proxyHost");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(hostsFile, "hostsFile");
        Objects.requireNonNull(upstreamCaFile, "upstreamCaFile");
        if (proxyPort < 0 || proxyPort > 65535) {
            throw new IllegalArgumentException("proxyPort must be 0 to 65535");
        }
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(tlsHandshakeTimeout, "tlsHandshakeTimeout");
        requirePositive(upstreamConnectTimeout, "upstreamConnectTimeout");
        requirePositive(upstreamIdleTimeout, "upstreamIdleTimeout");
        requirePositive(upstreamPoolIdleTimeout, "upstreamPoolIdleTimeout");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        if (stopTimeout.isNegative()) {
            throw new IllegalArgumentException("stopTimeout must not be negative");
        }
        if (maxRequestHeaderSize < 1024) {
            throw new IllegalArgumentException("maxRequestHeaderSize must be at least 1024 bytes");
        }
        if (leafCacheSize < 1) {
            throw new IllegalArgumentException("leafCacheSize must be at least 1");
        }
        if (maxBodySize < 1) {
            throw new IllegalArgumentException("maxBodySize must be positive");
        }
        if (connectionsPerInstance < 1) {
            throw new IllegalArgumentException("connectionsPerInstance must be positive");
        }
        requirePositive(headerReadTimeout, "headerReadTimeout");
    }

    /** The defaults: {@code 127.0.0.1:3128}, no hosts file, no extra upstream CA, timeouts as in the docs. */
    public static ProxySettings defaults(Path dataDir) {
        return new ProxySettings("127.0.0.1", 3128, dataDir, Optional.empty(), Optional.empty(), Duration.ofSeconds(60),
                Duration.ofSeconds(10), 16 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofSeconds(30), Duration.ofSeconds(15), 10_000, 1024L * 1024 * 1024, 256,
                Duration.ofSeconds(30));
    }

    public ProxySettings withProxy(String host, int port) {
        return new ProxySettings(host, port, dataDir, hostsFile, upstreamCaFile, idleTimeout, tlsHandshakeTimeout,
                maxRequestHeaderSize, upstreamConnectTimeout, upstreamIdleTimeout, upstreamPoolIdleTimeout, stopTimeout,
                leafCacheSize, maxBodySize, connectionsPerInstance, headerReadTimeout);
    }

    public ProxySettings withHostsFile(Path file) {
        return new ProxySettings(proxyHost, proxyPort, dataDir, Optional.of(file), upstreamCaFile, idleTimeout,
                tlsHandshakeTimeout, maxRequestHeaderSize, upstreamConnectTimeout, upstreamIdleTimeout,
                upstreamPoolIdleTimeout, stopTimeout, leafCacheSize, maxBodySize, connectionsPerInstance,
                headerReadTimeout);
    }

    public ProxySettings withUpstreamCaFile(Path file) {
        return new ProxySettings(proxyHost, proxyPort, dataDir, hostsFile, Optional.of(file), idleTimeout,
                tlsHandshakeTimeout, maxRequestHeaderSize, upstreamConnectTimeout, upstreamIdleTimeout,
                upstreamPoolIdleTimeout, stopTimeout, leafCacheSize, maxBodySize, connectionsPerInstance,
                headerReadTimeout);
    }

    public ProxySettings withClientTimeouts(Duration idle, Duration tlsHandshake) {
        return new ProxySettings(proxyHost, proxyPort, dataDir, hostsFile, upstreamCaFile, idle, tlsHandshake,
                maxRequestHeaderSize, upstreamConnectTimeout, upstreamIdleTimeout, upstreamPoolIdleTimeout, stopTimeout,
                leafCacheSize, maxBodySize, connectionsPerInstance, headerReadTimeout);
    }

    public ProxySettings withUpstreamTimeouts(Duration connect, Duration idle) {
        return new ProxySettings(proxyHost, proxyPort, dataDir, hostsFile, upstreamCaFile, idleTimeout,
                tlsHandshakeTimeout, maxRequestHeaderSize, connect, idle, upstreamPoolIdleTimeout, stopTimeout,
                leafCacheSize, maxBodySize, connectionsPerInstance, headerReadTimeout);
    }

    public ProxySettings withUpstreamPoolIdleTimeout(Duration timeout) {
        return new ProxySettings(proxyHost, proxyPort, dataDir, hostsFile, upstreamCaFile, idleTimeout,
                tlsHandshakeTimeout, maxRequestHeaderSize, upstreamConnectTimeout, upstreamIdleTimeout, timeout,
                stopTimeout, leafCacheSize, maxBodySize, connectionsPerInstance, headerReadTimeout);
    }

    public ProxySettings withStopTimeout(Duration timeout) {
        return new ProxySettings(proxyHost, proxyPort, dataDir, hostsFile, upstreamCaFile, idleTimeout,
                tlsHandshakeTimeout, maxRequestHeaderSize, upstreamConnectTimeout, upstreamIdleTimeout,
                upstreamPoolIdleTimeout, timeout, leafCacheSize, maxBodySize, connectionsPerInstance,
                headerReadTimeout);
    }

    /** The same settings with other request body and per-instance connection limits. */
    public ProxySettings withLimits(long maxBody, int connections) {
        return new ProxySettings(proxyHost, proxyPort, dataDir, hostsFile, upstreamCaFile, idleTimeout,
                tlsHandshakeTimeout, maxRequestHeaderSize, upstreamConnectTimeout, upstreamIdleTimeout,
                upstreamPoolIdleTimeout, stopTimeout, leafCacheSize, maxBody, connections, headerReadTimeout);
    }

    public ProxySettings withHeaderReadTimeout(Duration timeout) {
        return new ProxySettings(proxyHost, proxyPort, dataDir, hostsFile, upstreamCaFile, idleTimeout,
                tlsHandshakeTimeout, maxRequestHeaderSize, upstreamConnectTimeout, upstreamIdleTimeout,
                upstreamPoolIdleTimeout, stopTimeout, leafCacheSize, maxBodySize, connectionsPerInstance, timeout);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
