package dev.chaperone.dist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * The SHA-256 fingerprint of a certificate, written as {@code openssl x509 -fingerprint -sha256} and
 * {@code keytool -printcert} write it, so an operator can compare what a sandbox trusts with what runs.
 */
final class CertificateFingerprint {

    private CertificateFingerprint() {
    }

    /**
     * The fingerprint of the first certificate in a PEM file.
     *
     * @throws IOException when the file cannot be read or holds no certificate
     */
    static String ofPemFile(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            X509Certificate certificate =
                    (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return of(certificate.getEncoded());
        } catch (CertificateException e) {
            throw new IOException(pem + " holds no readable certificate: " + e.getMessage(), e);
        }
    }

    /** The fingerprint of a DER-encoded certificate: upper-case hex bytes separated by colons. */
    static String of(byte[] der) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(der);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        StringBuilder hex = new StringBuilder(digest.length * 3);
        for (byte b : digest) {
            if (hex.length() > 0) {
                hex.append(':');
            }
            hex.append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                    .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
        }
        return hex.toString();
    }
}
