package dev.chaperone.server.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {

    private final SecretCipher cipher = new SecretCipher(new byte[32]);

    @Test
    void opensWhatItSealed() {
        byte[] sealed = cipher.seal("sandbox", "stripe", "sk_live_ünïcode");

        assertThat(cipher.open("sandbox", "stripe", sealed)).isEqualTo("sk_live_ünïcode");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("sk_live");
    }

    @Test
    void usesAFreshNonceForEveryValue() {
        assertThat(cipher.seal("sandbox", "stripe", "same")).isNotEqualTo(cipher.seal("sandbox", "stripe", "same"));
    }

    @Test
    void refusesAValueMovedToAnotherInstanceOrName() {
        byte[] sealed = cipher.seal("sandbox", "stripe", "value");

        assertThatThrownBy(() -> cipher.open("other", "stripe", sealed)).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("value");
        assertThatThrownBy(() -> cipher.open("sandbox", "twilio", sealed)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesATamperedValueOrAnotherKey() {
        byte[] sealed = cipher.seal("sandbox", "stripe", "value");
        sealed[sealed.length - 1] ^= 1;

        assertThatThrownBy(() -> cipher.open("sandbox", "stripe", sealed)).isInstanceOf(IllegalStateException.class);
        byte[] other = new byte[32];
        other[0] = 1;
        byte[] good = cipher.seal("sandbox", "stripe", "value");
        assertThatThrownBy(() -> new SecretCipher(other).open("sandbox", "stripe", good))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void generatesAnOwnerOnlyKeyFileOnceAndReusesIt(@TempDir Path dataDir) throws Exception {
        SecretCipher first = SecretKeys.loadOrCreate(dataDir, Optional.empty());
        Path file = dataDir.resolve(SecretKeys.FILE_NAME);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        byte[] sealed = first.seal("a", "b", "c");
        assertThat(SecretKeys.loadOrCreate(dataDir, Optional.empty()).open("a", "b", sealed)).isEqualTo("c");
    }

    @Test
    void prefersAConfiguredKeyAndChecksItsLength(@TempDir Path dataDir) throws Exception {
        String key = Base64.getEncoder().encodeToString(new byte[32]);

        byte[] sealed = SecretKeys.loadOrCreate(dataDir, Optional.of(key)).seal("a", "b", "c");

        assertThat(cipher.open("a", "b", sealed)).isEqualTo("c");
        assertThat(dataDir.resolve(SecretKeys.FILE_NAME)).doesNotExist();
        assertThatThrownBy(() -> SecretKeys.loadOrCreate(dataDir, Optional.of("c2hvcnQ=")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("32 bytes");
    }
}
