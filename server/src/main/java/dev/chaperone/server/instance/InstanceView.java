package dev.chaperone.server.instance;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import dev.chaperone.server.chain.ChainEntry;

/**
 * What may be shown of an instance: everything but its token hash and secret values. Immutable.
 *
 * @param id the instance id
 * @param version grows with every change
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param chain the chain as configured
 * @param secrets the names of its secrets and when each was last set
 * @param chainProblem why the stored chain no longer compiles (so the instance denies all traffic), or empty
 */
public record InstanceView(String id, long version, Instant createdAt, Instant updatedAt, List<ChainEntry> chain,
        Map<String, Instant> secrets, Optional<String> chainProblem) {

    public InstanceView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        chain = List.copyOf(chain);
        secrets = Collections.unmodifiableMap(new TreeMap<>(secrets));
        Objects.requireNonNull(chainProblem, "chainProblem");
    }
}
