package dev.chaperone.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateAuthorityTest {

    @TempDir
    Path dataDir;

    @Test
    void createsTheCaOnceAndLoadsItAfterwards() throws Exception {
        CertificateAuthority created = CertificateAuthority.loadOrCreate(dataDir);
        CertificateAuthority loaded = CertificateAuthority.loadOrCreate(dataDir);

        assertThat(loaded.certificate()).isEqualTo(created.certificate());
        assertThat(loaded.fingerprint()).isEqualTo(created.fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(loaded.certificatePath()).isEqualTo(dataDir.resolve("ca.pem"));
        assertThat(Files.readString(dataDir.resolve("ca.pem"))).isEqualTo(created.certificatePem());
        assertThat(created.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void keyFileIsReadableByItsOwnerOnly() throws Exception {
        CertificateAuthority.loadOrCreate(dataDir);

        Path key = dataDir.resolve(CertificateAuthority.KEY_FILE);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void refusesToReplaceAHalfMissingCa() throws Exception {
        CertificateAuthority.loadOrCreate(dataDir);
        Files.delete(dataDir.resolve(CertificateAuthority.KEY_FILE));

        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(dataDir))
                .isInstanceOf(IOException.class).hasMessageContaining("only one of");
    }
}
