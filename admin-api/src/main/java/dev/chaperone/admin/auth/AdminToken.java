package dev.chaperone.admin.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chaperone.server.instance.ProxyToken;
import dev.chaperone.server.store.DurableFiles;

/**
 * The bearer token that admin calls must present. Keeps only its hash, compares in constant time, and names
 * its holder in audit events by a hash prefix, never by the token.
 */
public final class AdminToken {

    /** The name of the generated token file in the data dir. */
    public static final String FILE_NAME = "admin.token";

    private static final Logger LOG = LoggerFactory.getLogger(AdminToken.class);

    private final byte[] hash;
    private final String id;

    private AdminToken(String token) {
        if (token.isBlank()) {
            throw new IllegalStateException("the admin token must not be empty");
        }
        this.hash = sha256(token);
        this.id = "admin-" + HexFormat.of().formatHex(hash, 0, 4);
    }

    /** A token with the given value, as configured. */
    public static AdminToken of(String token) {
        return new AdminToken(Objects.requireNonNull(token, "token"));
    }

    /**
     * The configured token ({@code chaperone.admin.token}) or the one in {@code <dataDir>/admin.token},
     * which is generated (mode 0600) at first start. Logs where the token comes from, never its value.
     */
    public static AdminToken loadOrCreate(Path dataDir, Optional<String> configured) throws IOException {
        if (configured.isPresent()) {
            LOG.info("admin API token: the one configured in chaperone.admin.token");
            return of(configured.get());
        }
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        if (Files.exists(file)) {
            LOG.info("admin API token: read from {}", file);
            return of(Files.readString(file, StandardCharsets.UTF_8).strip());
        }
        String token = ProxyToken.generate() + ProxyToken.generate();
        DurableFiles.createDirectories(dataDir);
        DurableFiles.write(file, (token + "\n").getBytes(StandardCharsets.UTF_8));
        LOG.info("admin API token: generated into {} (readable by this user only)", file);
        return of(token);
    }

    /** Whether {@code presented} is this token; the time taken does not depend on where they differ. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(sha256(presented), hash);
    }

    /** Who presented this token, for audit events: {@code admin-} and the first 8 hex digits of its hash. */
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return "AdminToken[" + id + "]";
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
