package dev.chaperone.server.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.interfaces.XECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.NamedParameterSpec;

import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/** An X25519 public key made by {@link X25519KeyPairGenerator}: the u-coordinate, little-endian, RFC 7748. */
final class X25519PublicKey implements XECPublicKey {

    /** The length of an X25519 scalar and of an encoded u-coordinate. */
    static final int LENGTH = 32;

    private static final long serialVersionUID = 1L;

    private final byte[] encoded;

    X25519PublicKey(byte[] littleEndianU) {
        if (littleEndianU.length != LENGTH) {
            throw new IllegalArgumentException("an X25519 public key has 32 bytes");
        }
        this.encoded = littleEndianU.clone();
    }

    @Override
    public BigInteger getU() {
        return new BigInteger(1, reversed(encoded));
    }

    @Override
    public AlgorithmParameterSpec getParams() {
        return NamedParameterSpec.X25519;
    }

    @Override
    public String getAlgorithm() {
        return "XDH";
    }

    @Override
    public String getFormat() {
        return "X.509";
    }

    /** RFC 8410: the little-endian u-coordinate as the subject public key bits. */
    @Override
    public byte[] getEncoded() {
        try {
            return new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_X25519), encoded)
                    .getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode an X25519 public key", e);
        }
    }

    /** The byte order of {@code bytes} turned round: between RFC 7748's little-endian and BigInteger's big. */
    static byte[] reversed(byte[] bytes) {
        byte[] turned = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            turned[i] = bytes[bytes.length - 1 - i];
        }
        return turned;
    }

    @Override
    public String toString() {
        return "X25519 public key";
    }
}
