package dev.chaperone.server.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * Reads and writes the PEM files the proxy keeps: certificates and PKCS#8 private keys.
 */
public final class Pem {

    private Pem() {
    }

    /** The PEM text of one or more certificates, one block each. */
    public static String certificates(List<X509Certificate> certificates) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (X509Certificate certificate : certificates) {
                writer.writeObject(certificate);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a certificate as PEM", e);
        }
        return out.toString();
    }

    /** The PEM text of a private key in PKCS#8 form ({@code BEGIN PRIVATE KEY}). */
    public static String privateKey(PrivateKey key) {
        // Written by hand: Bouncy Castle's writer picks the traditional EC form, which drops the public key.
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
    }

    /**
     * Every certificate in a PEM file, in file order; other blocks are skipped.
     *
     * @throws IOException when the file cannot be read or a certificate block is broken
     */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        return readCertificates(Files.newBufferedReader(file, StandardCharsets.US_ASCII), file.toString());
    }

    /** Every certificate in PEM text, in order; other blocks are skipped. */
    public static List<X509Certificate> readCertificates(String pem) throws IOException {
        return readCertificates(new StringReader(pem), "PEM text");
    }

    private static List<X509Certificate> readCertificates(Reader source, String name) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(source)) {
            Object block;
            while ((block = parser.readObject()) != null) {
                if (block instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (CertificateException e) {
            throw new IOException("a certificate in " + name + " cannot be read: " + e.getMessage(), e);
        }
        return certificates;
    }

    /**
     * The first private key in a PEM file (PKCS#8 or the traditional OpenSSL form).
     *
     * @throws IOException when the file holds no readable private key
     */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            Object block;
            while ((block = parser.readObject()) != null) {
                if (block instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (block instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
            }
        }
        throw new IOException(file + " holds no private key");
    }
}
