package dev.chaperone.server.instance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Proxy tokens: made with {@link SecureRandom}, stored only as a SHA-256 hash, compared in constant time.
 *
 * <p>A plain hash is enough (no slow password hash) because tokens are 192 random bits, never chosen by a
 * person: there is nothing to guess.
 */
public final class ProxyToken {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int TOKEN_BYTES = 24;

    /**
     * One digest per thread: every proxied request is authenticated, and looking SHA-256 up among the
     * security providers each time cost more than hashing the token.
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    });

    private ProxyToken() {
    }

    /** A new token: 192 random bits as URL-safe base64 without padding (32 characters). */
    public static String generate() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The SHA-256 hash of a token, which is all the server keeps. */
    public static byte[] hash(String token) {
        // digest() resets the digest, so the next use on this thread starts afresh.
        return SHA_256.get().digest(token.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code token} hashes to {@code expectedHash}, in time that does not depend on where they differ. */
    public static boolean matches(String token, byte[] expectedHash) {
        return MessageDigest.isEqual(hash(token), expectedHash);
    }
}
