package dev.chaperone.server.tls;

import java.io.IOException;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Optional;
import javax.security.auth.Destroyable;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/** An X25519 private key made by {@link X25519KeyPairGenerator}: the 32-byte scalar of RFC 7748. */
final class X25519PrivateKey implements XECPrivateKey, Destroyable {

    private static final long serialVersionUID = 1L;

    private final byte[] scalar;
    private volatile boolean destroyed;

    X25519PrivateKey(byte[] scalar) {
        if (scalar.length != X25519PublicKey.LENGTH) {
            throw new IllegalArgumentException("an X25519 scalar has 32 bytes");
        }
        this.scalar = scalar.clone();
    }

    /** The scalar itself, not a copy, for the key agreement of this package. */
    byte[] scalar() {
        if (destroyed) {
            throw new IllegalStateException("the key has been destroyed");
        }
        return scalar;
    }

    @Override
    public Optional<byte[]> getScalar() {
        return Optional.of(scalar().clone());
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
        return "PKCS#8";
    }

    /** RFC 8410: the scalar as an OCTET STRING inside the PKCS#8 private key octets. */
    @Override
    public byte[] getEncoded() {
        try {
            return new PrivateKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_X25519),
                    new DEROctetString(scalar())).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode an X25519 private key", e);
        }
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(scalar, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "X25519 private key";
    }
}
