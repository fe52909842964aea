package dev.chaperone.loaddriver;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority and the server certificate it signs for the local upstream, made fresh at
 * every start so that no key is ever stored. Clients and proxies trust the upstream by trusting {@link #caPem()}.
 */
final class UpstreamCertificates {
    private static final String KEY_ALIAS = "upstream";

    private final X509Certificate ca;
    private final X509Certificate leaf;
    private final KeyPair leafKeys;

    private UpstreamCertificates(X509Certificate ca, X509Certificate leaf, KeyPair leafKeys) {
        this.ca = ca;
        this.leaf = leaf;
        this.leafKeys = leafKeys;
    }

    /** Mints a CA and a server certificate for {@code dnsNames} (wildcards allowed) and 127.0.0.1. */
    static UpstreamCertificates generate(List<String> dnsNames) {
        Objects.requireNonNull(dnsNames, "dnsNames");
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair caKeys = generator.generateKeyPair();
            KeyPair leafKeys = generator.generateKeyPair();
            Instant now = Instant.now();
            Date notBefore = Date.from(now.minus(Duration.ofHours(1)));
            Date notAfter = Date.from(now.plus(Duration.ofDays(2)));
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();

            X500Name caName = new X500Name("CN=Chaperone benchmark upstream CA");
            X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, serial(), notBefore,
                    notAfter, caName, caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate ca = sign(caBuilder.build(signer(caKeys)));

            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
            names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            X509v3CertificateBuilder leafBuilder = new JcaX509v3CertificateBuilder(ca, serial(), notBefore,
                    notAfter, new X500Name("CN=" + (dnsNames.isEmpty() ? "localhost" : dnsNames.get(0))),
                    leafKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(names.toArray(GeneralName[]::new)))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(ca));
            X509Certificate leaf = sign(leafBuilder.build(signer(caKeys)));
            return new UpstreamCertificates(ca, leaf, leafKeys);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot mint the upstream's certificates", e);
        }
    }

    /** The CA certificate in PEM, for trust stores and for proxies that verify the upstream. */
    String caPem() {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(ca);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** An in-memory key store holding the server key and its chain under alias {@code upstream}. */
    KeyStore serverKeyStore(char[] password) {
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry(KEY_ALIAS, leafKeys.getPrivate(), password, new X509Certificate[] {leaf, ca});
            return keyStore;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the upstream's key store", e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom());
    }

    private static ContentSigner signer(KeyPair keys) throws OperatorCreationException {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
    }

    private static X509Certificate sign(X509CertificateHolder holder) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }
}
