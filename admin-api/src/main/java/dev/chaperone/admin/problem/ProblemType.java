package dev.chaperone.admin.problem;

import java.net.URI;

/**
 * The kinds of errors the admin API reports, each with a stable type URI that clients can switch on
 * (RFC 9457). Only the URI and status are contract; titles are for people.
 */
public enum ProblemType {

    UNAUTHORIZED("unauthorized", 401, "Authentication required"),
    NOT_FOUND("not-found", 404, "Not found"),
    INVALID_ID("invalid-id", 400, "Invalid id or name"),
    INVALID_PARAMETER("invalid-parameter", 400, "Invalid query parameter"),
    MALFORMED_JSON("malformed-json", 400, "Malformed JSON"),
    INVALID_BODY("invalid-body", 400, "Invalid request body"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Request body too large"),
    PRECONDITION_FAILED("precondition-failed", 412, "Precondition failed"),
    INVALID_CHAIN("invalid-chain", 422, "Invalid chain"),
    UNSAFE_SECRET("unsafe-secret", 422, "Secret unsafe in a header"),
    INTERNAL_ERROR("internal-error", 500, "Internal error");

    /** Where every problem type URI starts. */
    public static final String BASE = "https://chaperone.dev/problems/";

    private final URI uri;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.uri = URI.create(BASE + slug);
        this.status = status;
        this.title = title;
    }

    public URI uri() {
        return uri;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
