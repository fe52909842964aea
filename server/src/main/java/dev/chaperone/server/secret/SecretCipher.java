package dev.chaperone.server.secret;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secret values at rest with AES-256-GCM. Each value gets a fresh random 96-bit nonce, and the
 * instance id and secret name are bound in as associated data, so a sealed value copied to another
 * instance or name fails to open instead of leaking there.
 */
public final class SecretCipher {

    /** The length of a key: 256 bits. */
    public static final int KEY_BYTES = 32;

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    /**
     * One decrypting cipher per thread, because secrets are opened on every request that injects one: a
     * new cipher meant looking AES-GCM up among the providers and expanding the key each time, while a
     * cipher initialised again with the same key keeps its expanded key. Only decryption reuses a cipher;
     * GCM forbids encrypting twice under one nonce, and sealing is rare.
     */
    private final ThreadLocal<Cipher> decrypting = ThreadLocal.withInitial(SecretCipher::newCipher);

    /** @param key 32 bytes of key material */
    public SecretCipher(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a secrets key is " + KEY_BYTES + " bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** Encrypts {@code value}; the result is the nonce followed by the ciphertext and tag. */
    public byte[] seal(String instanceId, String name, String value) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        ByteBuffer plain = StandardCharsets.UTF_8.encode(CharBuffer.wrap(value));
        byte[] plainBytes = new byte[plain.remaining()];
        plain.get(plainBytes);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, instanceId, name);
            byte[] sealed = new byte[NONCE_BYTES + cipher.getOutputSize(plainBytes.length)];
            System.arraycopy(nonce, 0, sealed, 0, NONCE_BYTES);
            cipher.doFinal(plainBytes, 0, plainBytes.length, sealed, NONCE_BYTES);
            return sealed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        } finally {
            Arrays.fill(plainBytes, (byte) 0);
            if (plain.hasArray()) {
                Arrays.fill(plain.array(), (byte) 0);
            }
        }
    }

    /**
     * Decrypts a value made by {@link #seal} for the same instance and name.
     *
     * @throws IllegalStateException when the value was sealed under another key, instance or name, or was
     *     changed; the message never contains any part of the value
     */
    public String open(String instanceId, String name, byte[] sealed) {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("sealed secret '" + name + "' of instance " + instanceId + " is too short");
        }
        byte[] plain = null;
        try {
            Cipher cipher = decrypting.get();
            init(cipher, Cipher.DECRYPT_MODE, Arrays.copyOf(sealed, NONCE_BYTES), instanceId, name);
            plain = cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(plain)).toString();
        } catch (GeneralSecurityException | CharacterCodingException e) {
            throw new IllegalStateException("secret '" + name + "' of instance " + instanceId
                    + " cannot be decrypted with the configured secrets key");
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String instanceId, String name) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        init(cipher, mode, nonce, instanceId, name);
        return cipher;
    }

    private void init(Cipher cipher, int mode, byte[] nonce, String instanceId, String name)
            throws GeneralSecurityException {
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        // Ids and names never contain NUL, so the pair is unambiguous.
        cipher.updateAAD((instanceId + '\0' + name).getBytes(StandardCharsets.UTF_8));
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no " + TRANSFORMATION, e);
        }
    }
}
