package dev.chaperone.plugins.awssigv4;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away PKCS#12 keystore with a self-signed certificate for {@code 127.0.0.1} and {@code localhost},
 * made with the JDK's {@code keytool} in a directory of the test's, and the certificate in PEM for clients.
 */
final class TestKeystore {

    private final Path keystore;
    private final String password;
    private final Path certificatePem;

    private TestKeystore(Path keystore, String password, Path certificatePem) {
        this.keystore = keystore;
        this.password = password;
        this.certificatePem = certificatePem;
    }

    /** Makes a keystore in {@code directory}, which the test owns and deletes. */
    static TestKeystore create(Path directory) throws IOException, InterruptedException {
        Path keystore = directory.resolve("server.p12");
        Path pem = directory.resolve("server.pem");
        String password = "test-only-" + Long.toHexString(System.nanoTime());
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", password));
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(),
                "-storepass", password, "-file", pem.toString()));
        return new TestKeystore(keystore, password, pem);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }

    Path keystore() {
        return keystore;
    }

    String password() {
        return password;
    }

    /** The certificate in PEM, for {@code AWS_CA_BUNDLE} or curl's {@code --cacert}. */
    Path certificatePem() {
        return certificatePem;
    }

    /** A client context that trusts this certificate only. */
    SSLContext clientContext() throws IOException, GeneralSecurityException {
        Certificate certificate;
        try (InputStream in = Files.newInputStream(certificatePem)) {
            certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
