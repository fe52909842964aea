package dev.chaperone.plugins.awssigv4;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the {@code x-amz-content-sha256} of a signature stands for: the hash of a buffered body, or a value
 * declared without reading the body (S3's {@code UNSIGNED-PAYLOAD}, a SHA-256 the client computed, or
 * {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER} for unsigned {@code aws-chunked} uploads).
 */
final class Payload {

    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    static final String STREAMING_UNSIGNED_PAYLOAD_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final ByteBuffer body;
    private final String declaredHash;

    private Payload(ByteBuffer body, String declaredHash) {
        this.body = body;
        this.declaredHash = declaredHash;
    }

    /** The body itself, to be hashed. */
    static Payload body(ByteBuffer body) {
        return new Payload(Objects.requireNonNull(body, "body").asReadOnlyBuffer(), null);
    }

    /** {@code UNSIGNED-PAYLOAD}. */
    static Payload unsigned() {
        return new Payload(null, UNSIGNED_PAYLOAD);
    }

    /**
     * A value declared for a body the signer does not read.
     *
     * @throws IllegalArgumentException unless it is {@code UNSIGNED-PAYLOAD},
     *     {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER} or 64 lower-case hexadecimal digits
     */
    static Payload declared(String value) {
        if (!isDeclarable(value)) {
            throw new IllegalArgumentException("not a payload hash S3 accepts without chunk signatures");
        }
        return new Payload(null, value);
    }

    /** Whether {@link #declared} accepts the value. */
    static boolean isDeclarable(String value) {
        return UNSIGNED_PAYLOAD.equals(value) || STREAMING_UNSIGNED_PAYLOAD_TRAILER.equals(value)
                || value != null && SHA256_HEX.matcher(value).matches();
    }

    /** The body to hash, or {@code null} when the hash is declared. */
    ByteBuffer body() {
        return body == null ? null : body.duplicate();
    }

    /** The declared value, or {@code null} when the body is hashed. */
    String declaredHash() {
        return declaredHash;
    }

    /** Names the kind of payload for logs, never its content. */
    @Override
    public String toString() {
        if (body != null) {
            return "sha256(" + body.remaining() + " bytes)";
        }
        return SHA256_HEX.matcher(declaredHash).matches() ? "declared-sha256" : declaredHash;
    }
}
