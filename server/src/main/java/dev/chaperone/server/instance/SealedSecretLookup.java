package dev.chaperone.server.instance;

import java.util.Map;
import java.util.Optional;

import dev.chaperone.server.secret.SecretCipher;
import dev.chaperone.server.store.SealedSecret;
import dev.chaperone.spi.SecretLookup;

/**
 * An instance's secrets as filters see them. Values stay encrypted in memory and are decrypted on each
 * lookup, so a heap dump or a stray reference shows no plaintext beyond the request that used it.
 */
final class SealedSecretLookup implements SecretLookup {

    private final String instanceId;
    private final Map<String, SealedSecret> secrets;
    private final SecretCipher cipher;

    SealedSecretLookup(String instanceId, Map<String, SealedSecret> secrets, SecretCipher cipher) {
        this.instanceId = instanceId;
        this.secrets = Map.copyOf(secrets);
        this.cipher = cipher;
    }

    @Override
    public Optional<String> get(String name) {
        SealedSecret secret = secrets.get(name);
        return secret == null ? Optional.empty() : Optional.of(cipher.open(instanceId, name, secret.sealed()));
    }

    @Override
    public String toString() {
        return "secrets of " + instanceId + " " + secrets.keySet();
    }
}
