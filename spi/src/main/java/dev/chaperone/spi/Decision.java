package dev.chaperone.spi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a filter decided about a target or a request. Immutable.
 *
 * <ul>
 *   <li>{@link #proceed()}: no opinion, the next filter decides;</li>
 *   <li>{@link #allow(String)}: the request is allowed as far as this filter is concerned; later filters
 *       still run and may refuse it;</li>
 *   <li>{@link #respond} and its shorthand {@link #deny}: the proxy answers the client itself with this
 *       status, and nothing is sent upstream.</li>
 * </ul>
 *
 * <p>Answers carry a stable reason code ({@code host_not_allowed}, {@code rate_limited}) that the audit
 * log, the metrics and the JSON body the client receives all use. A reason code and detail must never
 * contain a secret.
 */
public final class Decision {

    /** The kind of a decision. */
    public enum Kind {
        /** No opinion. */
        PROCEED,
        /** Marks the request allowed and lets the chain go on. */
        ALLOW,
        /** Ends the chain with an answer from the proxy. */
        RESPOND
    }

    /** The error code of answers made by {@link #deny}. */
    public static final String EGRESS_DENIED = "egress_denied";

    private static final Decision PROCEED = new Decision(Kind.PROCEED, 0, null, null, null, null, Map.of());

    private final Kind kind;
    private final int status;
    private final String error;
    private final String reason;
    private final String detail;
    private final String rule;
    private final Map<String, String> headers;

    private Decision(Kind kind, int status, String error, String reason, String detail, String rule,
            Map<String, String> headers) {
        this.kind = kind;
        this.status = status;
        this.error = error;
        this.reason = reason;
        this.detail = detail;
        this.rule = rule;
        this.headers = headers;
    }

    /** No opinion: the next filter decides. */
    public static Decision proceed() {
        return PROCEED;
    }

    /**
     * Marks the request allowed.
     *
     * @param rule the rule that matched, as the operator wrote it ({@code "*.twilio.com"}); it is recorded
     *     in the audit log
     */
    public static Decision allow(String rule) {
        return new Decision(Kind.ALLOW, 0, null, null, null, Objects.requireNonNull(rule, "rule"), Map.of());
    }

    /**
     * Refuses the request with 403 and the error {@value #EGRESS_DENIED}.
     *
     * @param reason a stable reason code in snake case, such as {@code host_not_allowed}
     * @param rule the rule that matched, or {@code null} when the refusal is because none did
     */
    public static Decision deny(String reason, String rule) {
        return respond(403, EGRESS_DENIED, reason, null).withRule(rule);
    }

    /**
     * Answers the client with the given status.
     *
     * @param status an HTTP status from 400 to 599
     * @param error a stable error code in snake case, such as {@code rate_limited}
     * @param reason a stable reason code in snake case
     * @param detail a sentence for the person reading the answer, or {@code null}
     */
    public static Decision respond(int status, String error, String reason, String detail) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a filter can only answer with 4xx or 5xx, not " + status);
        }
        return new Decision(Kind.RESPOND, status, Objects.requireNonNull(error, "error"),
                Objects.requireNonNull(reason, "reason"), detail, null, Map.of());
    }

    /** The same answer naming the rule that decided it; {@code null} removes it. */
    public Decision withRule(String rule) {
        return new Decision(kind, status, error, reason, detail, rule, headers);
    }

    /**
     * The same answer with one more response header, such as {@code Retry-After}.
     *
     * @throws IllegalStateException when this decision is not an answer
     * @throws IllegalArgumentException when the name or value is not a valid header
     */
    public Decision withHeader(String name, String value) {
        if (kind != Kind.RESPOND) {
            throw new IllegalStateException("only an answer can carry response headers");
        }
        Headers.checkName(name);
        Headers.checkValue(name, value);
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Decision(kind, status, error, reason, detail, rule, Map.copyOf(more));
    }

    public Kind kind() {
        return kind;
    }

    /** The status of an answer; 0 for the other kinds. */
    public int status() {
        return status;
    }

    /** The error code of an answer ({@code egress_denied}); {@code null} for the other kinds. */
    public String error() {
        return error;
    }

    /** The reason code of an answer; {@code null} for the other kinds. */
    public String reason() {
        return reason;
    }

    /** A human-readable sentence about an answer, or {@code null}. */
    public String detail() {
        return detail;
    }

    /** The rule that decided, or {@code null}. */
    public String rule() {
        return rule;
    }

    /** Extra response headers of an answer. */
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case PROCEED -> "proceed";
            case ALLOW -> "allow(" + rule + ")";
            case RESPOND -> status + " " + error + "/" + reason + (rule == null ? "" : " rule=" + rule);
        };
    }
}
