package dev.chaperone.admin.json;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.chaperone.server.instance.InstanceView;

/**
 * An instance as the admin API shows it. Carries the proxy token only in the answer that issued it.
 *
 * @param id the instance id
 * @param version the version, also sent as the ETag
 * @param createdAt ISO-8601 instant
 * @param updatedAt ISO-8601 instant
 * @param chain the chain as configured
 * @param secrets the secrets' names and change times
 * @param chainProblem why the stored chain no longer compiles (the instance denies all traffic), or absent
 * @param token the proxy token, only when it was just issued
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InstanceBody(String id, long version, String createdAt, String updatedAt, List<ChainEntryBody> chain,
        List<SecretInfo> secrets, String chainProblem, String token) {

    /** The instance without a token. */
    public static InstanceBody of(InstanceView view) {
        return of(view, null);
    }

    /** The instance with a token that was just issued. */
    public static InstanceBody of(InstanceView view, String token) {
        return new InstanceBody(view.id(), view.version(), view.createdAt().toString(), view.updatedAt().toString(),
                view.chain().stream().map(ChainEntryBody::of).toList(), secrets(view),
                view.chainProblem().orElse(null), token);
    }

    /** The secrets of an instance, by name. */
    public static List<SecretInfo> secrets(InstanceView view) {
        return view.secrets().entrySet().stream()
                .map(secret -> new SecretInfo(secret.getKey(), secret.getValue().toString()))
                .toList();
    }

    @Override
    public String toString() {
        return "InstanceBody[" + id + " v" + version + (token == null ? "" : ", token=<redacted>") + "]";
    }
}
