package dev.chaperone.server.tls;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.Objects;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;

/**
 * An ECDSA P-256 private key that {@link HandshakeCryptoProvider} signs with. It wraps a JDK key, and answers
 * for it everywhere (parameters, encoding), so that TLS and certificate code treat it as the key it wraps;
 * only the JCA's choice of signer differs.
 */
public final class P256SigningKey implements ECPrivateKey {

    private static final long serialVersionUID = 1L;
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
    /** Bouncy Castle's own P-256, whose field arithmetic and fixed-base multiplication are specialised. */
    static final ECDomainParameters DOMAIN =
            new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());

    private final ECPrivateKey key;
    private final transient ECPrivateKeyParameters parameters;

    /** Whether {@code key} is an EC private key on P-256, the only curve this class signs on. */
    public static boolean isP256(PrivateKey key) {
        return key instanceof ECPrivateKey ec && isP256(ec.getParams());
    }

    private P256SigningKey(ECPrivateKey key) {
        this.key = key;
        this.parameters = new ECPrivateKeyParameters(key.getS(), DOMAIN);
    }

    /**
     * The key that signs like {@code key} through {@link HandshakeCryptoProvider}.
     *
     * @throws IllegalArgumentException when {@code key} is not an EC key on P-256
     */
    public static P256SigningKey of(PrivateKey key) {
        Objects.requireNonNull(key, "key");
        if (key instanceof P256SigningKey signing) {
            return signing;
        }
        if (!isP256(key)) {
            throw new IllegalArgumentException("not an ECDSA P-256 private key: " + key.getAlgorithm());
        }
        return new P256SigningKey((ECPrivateKey) key);
    }

    ECPrivateKeyParameters parameters() {
        return parameters;
    }

    @Override
    public BigInteger getS() {
        return key.getS();
    }

    @Override
    public ECParameterSpec getParams() {
        return key.getParams();
    }

    @Override
    public String getAlgorithm() {
        return key.getAlgorithm();
    }

    @Override
    public String getFormat() {
        return key.getFormat();
    }

    @Override
    public byte[] getEncoded() {
        return key.getEncoded();
    }

    @Override
    public String toString() {
        return "ECDSA P-256 private key";
    }

    /** Serialised as the JDK key it wraps: Bouncy Castle's key parameters are not serialisable. */
    private Object writeReplace() {
        return key;
    }

    private static boolean isP256(ECParameterSpec params) {
        if (params == null) {
            return false;
        }
        ECPoint generator = params.getGenerator();
        return params.getCurve().getField().getFieldSize() == 256
                && params.getOrder().equals(CURVE.getN())
                && params.getCofactor() == CURVE.getH().intValueExact()
                && params.getCurve().getA().equals(CURVE.getCurve().getA().toBigInteger())
                && params.getCurve().getB().equals(CURVE.getCurve().getB().toBigInteger())
                && generator.getAffineX().equals(CURVE.getG().getAffineXCoord().toBigInteger())
                && generator.getAffineY().equals(CURVE.getG().getAffineYCoord().toBigInteger());
    }
}
