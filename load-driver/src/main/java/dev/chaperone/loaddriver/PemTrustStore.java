package dev.chaperone.loaddriver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;

/** Builds a trust store from PEM files, such as the upstream's CA and the CA of the proxy under test. */
final class PemTrustStore {
    private PemTrustStore() {
    }

    /** A key store trusting every certificate in {@code pemFiles}; fails when a file holds none. */
    static KeyStore load(List<Path> pemFiles) throws IOException, GeneralSecurityException {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (Path file : pemFiles) {
            Collection<? extends Certificate> certificates;
            try (InputStream in = Files.newInputStream(file)) {
                certificates = factory.generateCertificates(in);
            }
            if (certificates.isEmpty()) {
                throw new GeneralSecurityException("no certificate in " + file);
            }
            int index = 0;
            for (Certificate certificate : certificates) {
                trustStore.setCertificateEntry(file.getFileName() + "-" + index++, certificate);
            }
        }
        return trustStore;
    }
}
