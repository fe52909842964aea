package dev.chaperone.admin.json;

import java.util.List;

/**
 * The body of {@code PUT /v1/instances/{id}}: the whole chain, in order.
 *
 * @param chain the chain entries; an empty chain lets nothing out
 */
public record InstanceRequest(List<ChainEntryBody> chain) {

    public InstanceRequest {
        if (chain == null) {
            throw new IllegalArgumentException("'chain' is required (an empty list lets nothing out)");
        }
        if (chain.contains(null)) {
            throw new IllegalArgumentException("chain entries must be objects");
        }
        chain = List.copyOf(chain);
    }
}
