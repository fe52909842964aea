package dev.chaperone.server.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A secret as it is stored: encrypted (see {@link dev.chaperone.server.secret.SecretCipher}), with the time
 * it was last set.
 *
 * @param sealed the nonce followed by the AES-GCM ciphertext and tag
 * @param changedAt when the value was last set
 */
public record SealedSecret(byte[] sealed, Instant changedAt) {

    public SealedSecret {
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(changedAt, "changedAt");
        sealed = sealed.clone();
    }

    @Override
    public byte[] sealed() {
        return sealed.clone();
    }

    @Override
    public String toString() {
        return "SealedSecret[changedAt=" + changedAt + "]";
    }
}
