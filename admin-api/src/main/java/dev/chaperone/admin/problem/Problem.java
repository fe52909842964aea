package dev.chaperone.admin.problem;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every admin API error, {@code application/problem+json} (RFC 9457). Never holds a stack trace
 * or a secret value.
 *
 * @param type a stable URI naming the kind of problem ({@code about:blank} for plain HTTP errors)
 * @param title a short summary of the kind
 * @param status the HTTP status
 * @param detail what went wrong this time
 * @param entry for chain errors, the index of the chain entry at fault
 * @param plugin for chain errors, that entry's plugin
 * @param field for chain and body errors, the JSON path of the field at fault
 * @param secret for unsafe secrets, the secret's name
 * @param requestId the request's id, which the server's log lines carry too
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, Integer entry, String plugin,
        String field, String secret, String requestId) {

    /** The media type of problem bodies. */
    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
    }

    /** A problem of a known type. */
    public static Problem of(ProblemType type, String detail) {
        return new Problem(type.uri().toString(), type.title(), type.status(), detail, null, null, null, null, null);
    }

    /** The same problem naming the chain entry at fault. */
    public Problem withEntry(int index, String pluginName, String fieldPath) {
        return new Problem(type, title, status, detail, index, pluginName, fieldPath, secret, requestId);
    }

    /** The same problem naming the field at fault. */
    public Problem withField(String fieldPath) {
        return new Problem(type, title, status, detail, entry, plugin, fieldPath, secret, requestId);
    }

    /** The same problem naming a secret. */
    public Problem withSecret(String name) {
        return new Problem(type, title, status, detail, entry, plugin, field, name, requestId);
    }

    /** The same problem with the request id. */
    public Problem withRequestId(String id) {
        return new Problem(type, title, status, detail, entry, plugin, field, secret, id);
    }
}
