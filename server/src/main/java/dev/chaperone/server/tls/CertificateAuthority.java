package dev.chaperone.server.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chaperone.spi.HostNames;

/**
 * The proxy's own certificate authority, which signs the leaf certificates presented to sandboxes. Created
 * in the data directory at first start ({@value #CERTIFICATE_FILE} and {@value #KEY_FILE}, the key readable
 * by its owner only) and reused afterwards, so that sandboxes keep trusting the same CA across restarts.
 */
public final class CertificateAuthority {

    /** The file name of the CA certificate in the data directory. */
    public static final String CERTIFICATE_FILE = "ca.pem";

    /** The file name of the CA private key in the data directory. */
    public static final String KEY_FILE = "ca-key.pem";

    private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthority.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final Path certificatePath;
    private final String certificatePem;

    private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey, Path certificatePath) {
        this.certificate = certificate;
        // Signing leaves is most of what minting costs; a P-256 key signs through the faster provider.
        this.privateKey = P256SigningKey.isP256(privateKey) ? P256SigningKey.of(privateKey) : privateKey;
        this.certificatePath = certificatePath;
        this.certificatePem = Pem.certificates(List.of(certificate));
    }

    /**
     * Loads the CA from {@code dataDir}, or creates it there when neither file exists yet.
     *
     * @throws IOException when the files cannot be read or written, or only one of them exists
     */
    public static CertificateAuthority loadOrCreate(Path dataDir) throws IOException {
        Objects.requireNonNull(dataDir, "dataDir");
        Path certificatePath = dataDir.resolve(CERTIFICATE_FILE);
        Path keyPath = dataDir.resolve(KEY_FILE);
        boolean haveCertificate = Files.exists(certificatePath);
        boolean haveKey = Files.exists(keyPath);
        CertificateAuthority authority;
        if (haveCertificate && haveKey) {
            authority = load(certificatePath, keyPath);
            LOG.info("Loaded CA from {}, SHA-256 fingerprint {}", certificatePath, authority.fingerprint());
        } else if (!haveCertificate && !haveKey) {
            authority = create(dataDir, certificatePath, keyPath);
            LOG.info("Created CA in {}, SHA-256 fingerprint {}", certificatePath, authority.fingerprint());
        } else {
            throw new IOException("only one of " + certificatePath + " and " + keyPath
                    + " exists; restore the other or remove both to create a new CA");
        }
        return authority;
    }

    private static CertificateAuthority load(Path certificatePath, Path keyPath) throws IOException {
        List<X509Certificate> certificates = Pem.readCertificates(certificatePath);
        if (certificates.isEmpty()) {
            throw new IOException(certificatePath + " holds no certificate");
        }
        PrivateKey key = Pem.readPrivateKey(keyPath);
        X509Certificate certificate = certificates.get(0);
        if (!keyMatches(key, certificate.getPublicKey())) {
            throw new IOException(keyPath + " is not the key of the certificate in " + certificatePath);
        }
        return new CertificateAuthority(certificate, key, certificatePath);
    }

    private static CertificateAuthority create(Path dataDir, Path certificatePath, Path keyPath) throws IOException {
        Files.createDirectories(dataDir);
        KeyPair keys = newEcKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=Chaperone CA " + HexFormat.of().formatHex(randomBytes(4))
                + ", O=Chaperone");
        X509Certificate certificate;
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serialNumber(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_VALIDITY)), subject,
                    keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            certificate = sign(builder, keys.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the CA certificate", e);
        }
        writeOwnerOnly(keyPath, Pem.privateKey(keys.getPrivate()));
        writeAtomically(certificatePath, Pem.certificates(List.of(certificate)));
        return new CertificateAuthority(certificate, keys.getPrivate(), certificatePath);
    }

    /**
     * Issues a server certificate for one host, signed by this CA.
     *
     * @param host a canonical host (see {@link HostNames#normalize}); it becomes the only subject alternative
     *     name, as a DNS name or an IP address
     */
    public X509Certificate issueServerCertificate(String host, PublicKey key, Instant notBefore, Instant notAfter) {
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            GeneralName name = HostNames.isIpLiteral(host)
                    ? new GeneralName(GeneralName.iPAddress, host)
                    : new GeneralName(GeneralName.dNSName, host);
            String commonName = host.length() <= 64 ? host : host.substring(0, 64);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serialNumber(),
                    Date.from(notBefore), Date.from(notAfter),
                    new X500NameBuilder().addRDN(BCStyle.CN, commonName).build(), key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(name))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(certificate))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(key));
            return sign(builder, privateKey);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + host, e);
        }
    }

    /** The CA certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA certificate in PEM, as sandboxes add it to their trust store. */
    public String certificatePem() {
        return certificatePem;
    }

    /** Where the CA certificate is stored ({@code <data dir>/ca.pem}). */
    public Path certificatePath() {
        return certificatePath;
    }

    /** The SHA-256 fingerprint of the CA certificate, as colon-separated upper-case hex. */
    public String fingerprint() {
        return fingerprint(certificate);
    }

    /**
     * The SHA-256 fingerprint of {@code certificate}, as colon-separated upper-case hex: the form
     * {@code openssl x509 -fingerprint -sha256} and {@code keytool -printcert} print, so an operator can compare
     * what a sandbox trusts with what runs.
     */
    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("cannot compute a certificate fingerprint", e);
        }
    }

    /** A new ECDSA P-256 key pair. */
    static KeyPair newEcKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make ECDSA P-256 keys", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
            throws GeneralSecurityException {
        try {
            JcaContentSignerBuilder signers = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM);
            if (signingKey instanceof P256SigningKey) {
                signers.setProvider(HandshakeCryptoProvider.instance());
            }
            ContentSigner signer = signers.build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with " + SIGNATURE_ALGORITHM, e);
        }
    }

    private static boolean keyMatches(PrivateKey key, PublicKey publicKey) {
        try {
            byte[] probe = randomBytes(32);
            Signature signer = Signature.getInstance(SIGNATURE_ALGORITHM);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(SIGNATURE_ALGORITHM);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static BigInteger serialNumber() {
        return new BigInteger(1, randomBytes(16));
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Writes a file that only its owner can read, without a moment in which others could. */
    private static void writeOwnerOnly(Path target, String content) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the directory's own access control has to protect the key.
            Files.createFile(temporary);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot create " + temporary, e);
        }
        Files.writeString(temporary, content, StandardCharsets.US_ASCII);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(temporary, content, StandardCharsets.US_ASCII);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public String toString() {
        return "CertificateAuthority[" + certificate.getSubjectX500Principal().getName() + "]";
    }
}
