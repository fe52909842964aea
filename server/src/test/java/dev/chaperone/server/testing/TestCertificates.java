package dev.chaperone.server.testing;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import dev.chaperone.server.tls.Pem;

/**
 * A throw-away CA for test upstreams and one server certificate it signed, valid for the given names.
 * The server certificate goes into a PKCS12 key store (for WireMock or a Jetty test server); the CA goes into
 * a PEM file that the proxy trusts as its upstream CA file.
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.create(dir, List.of("api.example.test", "127.0.0.1"));
 * wireMockConfig().httpsPort(0).keystorePath(certs.keyStore().toString())
 *         .keystorePassword(TestCertificates.PASSWORD).keyManagerPassword(TestCertificates.PASSWORD)
 *         .keystoreType("PKCS12");
 * }</pre>
 */
public final class TestCertificates {

    /** The password of the key store and of its key entry. */
    public static final String PASSWORD = "changeit";

    private final Path caPem;
    private final Path keyStore;
    private final X509Certificate ca;

    private TestCertificates(Path caPem, Path keyStore, X509Certificate ca) {
        this.caPem = caPem;
        this.keyStore = keyStore;
        this.ca = ca;
    }

    /**
     * Makes the CA and a server certificate for {@code names} (DNS names or IPv4 literals) and writes
     * {@code upstream-ca.pem} and {@code upstream.p12} into {@code dir}.
     */
    public static TestCertificates create(Path dir, List<String> names) throws Exception {
        Files.createDirectories(dir);
        Instant now = Instant.now();
        KeyPair caKeys = ecKeys();
        X500Name caName = new X500Name("CN=Chaperone test upstream CA");
        X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), caName,
                caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate ca = sign(caBuilder, caKeys);

        KeyPair serverKeys = ecKeys();
        List<GeneralName> sans = new ArrayList<>();
        for (String name : names) {
            sans.add(Character.isDigit(name.charAt(name.length() - 1))
                    ? new GeneralName(GeneralName.iPAddress, name)
                    : new GeneralName(GeneralName.dNSName, name));
        }
        X509v3CertificateBuilder serverBuilder = new JcaX509v3CertificateBuilder(caName, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))),
                new X500Name("CN=" + names.get(0)), serverKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(sans.toArray(new GeneralName[0])));
        X509Certificate server = sign(serverBuilder, caKeys);

        Path caPem = dir.resolve("upstream-ca.pem");
        Files.writeString(caPem, Pem.certificates(List.of(ca)), StandardCharsets.US_ASCII);
        Path keyStorePath = dir.resolve("upstream.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("upstream", serverKeys.getPrivate(), PASSWORD.toCharArray(),
                new Certificate[] {server, ca});
        try (OutputStream out = Files.newOutputStream(keyStorePath)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return new TestCertificates(caPem, keyStorePath, ca);
    }

    /** The upstream CA certificate as PEM: give it to the proxy as its upstream CA file. */
    public Path caPem() {
        return caPem;
    }

    /** The PKCS12 key store holding the upstream server's key and certificate chain ({@link #PASSWORD}). */
    public Path keyStore() {
        return keyStore;
    }

    public X509Certificate ca() {
        return ca;
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer) throws Exception {
        JcaContentSignerBuilder signer = new JcaContentSignerBuilder("SHA256withECDSA");
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer.build(issuer.getPrivate())));
    }
}
