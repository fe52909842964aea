package dev.chaperone.server.tls;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Leaf certificates for intercepted hosts, minted on first use and kept in a bounded cache.
 *
 * <p>All leaves share one ECDSA P-256 key pair made at start-up: a fresh key per host would cost far more
 * than signing, and the key never leaves the process. At most one certificate is minted per host at a
 * time; handshakes for the same host wait for it.
 */
public final class LeafCertificates {

    /** How long before "now" a leaf starts to be valid, so that clients with a slow clock accept it. */
    static final Duration BACKDATE = Duration.ofHours(1);

    private final CertificateAuthority authority;
    private final KeyPair leafKeys = CertificateAuthority.newEcKeyPair();
    private final P256SigningKey leafSigningKey = P256SigningKey.of(leafKeys.getPrivate());
    private final int capacity;
    private final Duration validity;
    private final Clock clock;
    private final Map<String, CompletableFuture<Leaf>> cache;

    /** A minted certificate chain and the time after which it should be minted again. */
    private record Leaf(X509Certificate[] chain, Instant renewAfter) {
    }

    /** The result of a lookup: the chain to present, and whether it came from the cache. */
    public record Lookup(X509Certificate[] chain, boolean cacheHit) {
    }

    /**
     * @param authority the CA that signs the leaves
     * @param capacity the most hosts kept; the least recently used is dropped beyond it
     * @param validity how long a leaf is valid from now (it is also valid {@link #BACKDATE} before now)
     * @param clock the clock for validity periods
     */
    public LeafCertificates(CertificateAuthority authority, int capacity, Duration validity, Clock clock) {
        this.authority = Objects.requireNonNull(authority, "authority");
        this.validity = Objects.requireNonNull(validity, "validity");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<Leaf>> eldest) {
                return size() > LeafCertificates.this.capacity;
            }
        };
    }

    /**
     * The certificate chain (leaf, then CA) for a canonical host, minted when it is not cached or due for
     * renewal.
     */
    public Lookup lookup(String host) {
        CompletableFuture<Leaf> mine = null;
        CompletableFuture<Leaf> existing;
        synchronized (cache) {
            existing = cache.get(host);
            if (existing != null && existing.isDone() && !existing.isCompletedExceptionally()
                    && clock.instant().isAfter(existing.join().renewAfter())) {
                existing = null;
            }
            if (existing == null) {
                // Made only on a miss: every handshake looks its host up, and most find it.
                mine = new CompletableFuture<>();
                cache.put(host, mine);
            }
        }
        if (existing != null) {
            try {
                return new Lookup(existing.join().chain(), true);
            } catch (CompletionException e) {
                throw new IllegalStateException("minting a certificate for " + host + " failed", e.getCause());
            }
        }
        try {
            Leaf leaf = mint(host);
            mine.complete(leaf);
            return new Lookup(leaf.chain(), false);
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            synchronized (cache) {
                cache.remove(host, mine);
            }
            throw e;
        }
    }

    /**
     * The private key of every leaf, in the form that signs TLS handshakes through
     * {@link HandshakeCryptoProvider} once it is installed.
     */
    public PrivateKey privateKey() {
        return leafSigningKey;
    }

    /** How many hosts are cached. */
    public int size() {
        synchronized (cache) {
            return cache.size();
        }
    }

    private Leaf mint(String host) {
        Instant now = clock.instant();
        X509Certificate certificate = authority.issueServerCertificate(host, leafKeys.getPublic(),
                now.minus(BACKDATE), now.plus(validity));
        return new Leaf(new X509Certificate[] {certificate, authority.certificate()}, now.plus(validity.dividedBy(2)));
    }
}
