package dev.chaperone.server.store;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import dev.chaperone.server.chain.ChainEntry;

/**
 * Everything stored about one instance: what survives a restart. Immutable.
 *
 * @param id the instance id
 * @param tokenHash the SHA-256 hash of the proxy token
 * @param chain the chain as the operator wrote it, kept as it is even when it no longer compiles
 * @param version grows with every change; the admin API's ETag
 * @param createdAt when the instance was created
 * @param updatedAt when it last changed
 * @param secrets the encrypted secrets by name
 */
public record InstanceRecord(String id, byte[] tokenHash, List<ChainEntry> chain, long version, Instant createdAt,
        Instant updatedAt, Map<String, SealedSecret> secrets) {

    public InstanceRecord {
        Objects.requireNonNull(id, "id");
        tokenHash = Objects.requireNonNull(tokenHash, "tokenHash").clone();
        chain = List.copyOf(chain);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        secrets = Collections.unmodifiableMap(new TreeMap<>(secrets));
    }

    @Override
    public byte[] tokenHash() {
        return tokenHash.clone();
    }

    /** This record with the chain replaced. */
    public InstanceRecord withChain(List<ChainEntry> newChain, long newVersion, Instant at) {
        return new InstanceRecord(id, tokenHash, newChain, newVersion, createdAt, at, secrets);
    }

    /** This record with another token hash. */
    public InstanceRecord withTokenHash(byte[] newTokenHash, long newVersion, Instant at) {
        return new InstanceRecord(id, newTokenHash, chain, newVersion, createdAt, at, secrets);
    }

    /** This record with one secret set. */
    public InstanceRecord withSecret(String name, SealedSecret secret, long newVersion, Instant at) {
        Map<String, SealedSecret> changed = new TreeMap<>(secrets);
        changed.put(name, secret);
        return new InstanceRecord(id, tokenHash, chain, newVersion, createdAt, at, changed);
    }

    /** This record without the named secret. */
    public InstanceRecord withoutSecret(String name, long newVersion, Instant at) {
        Map<String, SealedSecret> changed = new TreeMap<>(secrets);
        changed.remove(name);
        return new InstanceRecord(id, tokenHash, chain, newVersion, createdAt, at, changed);
    }

    @Override
    public String toString() {
        return "InstanceRecord[" + id + " v" + version + ", " + chain.size() + " entries, " + secrets.size()
                + " secrets]";
    }
}
