package dev.chaperone.server.instance;

import java.util.Objects;

import dev.chaperone.server.chain.CompiledChain;
import dev.chaperone.spi.SecretLookup;

/**
 * One sandbox as the proxy sees it: its id, the hash of its proxy token, its compiled chain and its
 * secrets. Immutable; a change to any part replaces the whole instance in the {@link InstanceRegistry}.
 *
 * @param id the instance id, {@code [A-Za-z0-9._-]{1,128}}
 * @param tokenHash the SHA-256 hash of the proxy token (see {@link ProxyToken})
 * @param chain the compiled chain
 * @param secrets the instance's secrets, looked up per request
 * @param version a number that grows with each change, for ETags and logs
 */
public record Instance(String id, byte[] tokenHash, CompiledChain chain, SecretLookup secrets, long version) {

    public Instance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(secrets, "secrets");
        if (!InstanceRegistry.isValidId(id)) {
            throw new IllegalArgumentException("instance id must match [A-Za-z0-9._-]{1,128}");
        }
        tokenHash = tokenHash.clone();
    }

    @Override
    public byte[] tokenHash() {
        return tokenHash.clone();
    }

    /** Whether {@code token} is this instance's proxy token; constant time. */
    public boolean tokenMatches(String token) {
        return ProxyToken.matches(token, tokenHash);
    }

    @Override
    public String toString() {
        return "Instance[" + id + " v" + version + ", " + chain.entries().size() + " filters]";
    }
}
