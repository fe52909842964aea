package dev.chaperone.server.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chaperone.server.store.DurableFiles;

/**
 * Finds the key that secrets are encrypted under: {@code chaperone.secrets.key} (base64) when it is set,
 * otherwise {@code <dataDir>/secrets.key}, generated at first start and readable by its owner only.
 */
public final class SecretKeys {

    /** The name of the generated key file in the data dir. */
    public static final String FILE_NAME = "secrets.key";

    private static final Logger LOG = LoggerFactory.getLogger(SecretKeys.class);

    private SecretKeys() {
    }

    /**
     * @param dataDir the data dir, for the generated key file
     * @param configured the configured key in base64, if any
     * @throws IllegalStateException when the configured key or the key file is not 32 bytes of base64
     * @throws IOException when the key file cannot be read or written
     */
    public static SecretCipher loadOrCreate(Path dataDir, Optional<String> configured) throws IOException {
        if (configured.isPresent()) {
            LOG.info("secrets are encrypted under the key configured in chaperone.secrets.key");
            return new SecretCipher(decode(configured.get(), "chaperone.secrets.key"));
        }
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            LOG.info("secrets are encrypted under the key in {}", file.toAbsolutePath());
            return new SecretCipher(decode(Files.readString(file, StandardCharsets.US_ASCII), file.toString()));
        }
        byte[] key = new byte[SecretCipher.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        DurableFiles.createDirectories(dataDir);
        DurableFiles.write(file, (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII));
        LOG.info("generated a secrets key in {}; keep it with the data dir, secrets cannot be read without it",
                file.toAbsolutePath());
        return new SecretCipher(key);
    }

    private static byte[] decode(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " is not base64");
        }
        if (key.length != SecretCipher.KEY_BYTES) {
            throw new IllegalStateException(source + " must hold " + SecretCipher.KEY_BYTES + " bytes, not "
                    + key.length);
        }
        return key;
    }
}
