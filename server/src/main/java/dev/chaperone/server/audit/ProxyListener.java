package dev.chaperone.server.audit;

/**
 * Receives what the proxy does, for the audit log and the metrics. Every method has an empty default so a
 * listener implements only what it records.
 *
 * <p>Called on the proxy's I/O and request threads: implementations must be fast, thread-safe and must
 * not throw or block (hand slow work, such as writing a file, to a queue).
 */
public interface ProxyListener {

    /** One request (or refused tunnel) has ended. */
    default void onExchange(ExchangeRecord record) {
    }

    /** A client connection to the proxy listener opened ({@code +1}) or closed ({@code -1}). */
    default void onClientConnection(int delta) {
    }

    /** A TLS handshake with a client inside a tunnel finished, successfully or not. */
    default void onTlsHandshake(boolean success) {
    }

    /** A leaf certificate was needed for a tunnel; {@code cacheHit} tells whether it had to be minted. */
    default void onLeafCertificate(boolean cacheHit) {
    }

    /** An admin change was made (for counting); the audit line itself is written by the admin API. */
    default void onAdminChange(String action) {
    }
}
