package dev.chaperone.admin.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One change made through the admin API, for the audit trail. Names what changed, never a secret value or a
 * token.
 *
 * @param at when the change was made
 * @param actor who made it: the id of the admin token used ({@code admin-1a2b3c4d})
 * @param action what was done: {@code instance.create}, {@code instance.replace}, {@code instance.delete},
 *     {@code token.rotate}, {@code secret.put}, {@code secret.delete}
 * @param instanceId the instance changed
 * @param fields which parts of it changed ({@code chain}, {@code token}, {@code secrets.stripe})
 * @param version the instance's version after the change, or 0 when it was deleted
 * @param requestId the admin request's id
 */
public record AdminChange(Instant at, String actor, String action, String instanceId, List<String> fields,
        long version, String requestId) {

    public AdminChange {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(instanceId, "instanceId");
        fields = List.copyOf(fields);
        Objects.requireNonNull(requestId, "requestId");
    }
}
