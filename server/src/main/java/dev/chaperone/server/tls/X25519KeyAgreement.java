package dev.chaperone.server.tls;

import java.math.BigInteger;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.SecureRandom;
import java.security.interfaces.XECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import javax.crypto.KeyAgreementSpi;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * X25519 key agreement (RFC 7748) for {@link HandshakeCryptoProvider}, with a local key from
 * {@link X25519KeyPairGenerator} and a peer key from any provider. A peer key of small order, whose shared
 * secret is all zeros, is refused as RFC 7748 section 6.1 allows and TLS 1.3 requires.
 */
final class X25519KeyAgreement extends KeyAgreementSpi {

    private X25519PrivateKey privateKey;
    private byte[] secret;

    @Override
    protected void engineInit(Key key, SecureRandom random) throws InvalidKeyException {
        if (!(key instanceof X25519PrivateKey x25519)) {
            throw new InvalidKeyException("not a key of this provider: " + (key == null ? null : key.getClass()));
        }
        privateKey = x25519;
        secret = null;
    }

    @Override
    protected void engineInit(Key key, AlgorithmParameterSpec params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        if (params != null && !isX25519(params)) {
            throw new InvalidAlgorithmParameterException("only X25519 is agreed here, not " + params);
        }
        engineInit(key, random);
    }

    @Override
    protected Key engineDoPhase(Key key, boolean lastPhase) throws InvalidKeyException {
        if (privateKey == null) {
            throw new IllegalStateException("not initialised");
        }
        if (!lastPhase) {
            throw new IllegalStateException("X25519 has exactly one phase");
        }
        if (!(key instanceof XECPublicKey peer) || !isX25519(peer.getParams())) {
            throw new InvalidKeyException("not an X25519 public key");
        }
        byte[] shared = new byte[X25519.POINT_SIZE];
        if (!X25519.calculateAgreement(privateKey.scalar(), 0, littleEndian(peer.getU()), 0, shared, 0)) {
            throw new InvalidKeyException("the peer's X25519 key has small order (all-zero shared secret)");
        }
        secret = shared;
        return null;
    }

    @Override
    protected byte[] engineGenerateSecret() {
        if (secret == null) {
            throw new IllegalStateException("no key agreement has completed");
        }
        byte[] result = secret;
        secret = null;
        return result;
    }

    @Override
    protected int engineGenerateSecret(byte[] sharedSecret, int offset) throws ShortBufferException {
        if (secret == null) {
            throw new IllegalStateException("no key agreement has completed");
        }
        if (sharedSecret.length - offset < secret.length) {
            throw new ShortBufferException("the shared secret needs " + secret.length + " bytes");
        }
        byte[] result = engineGenerateSecret();
        System.arraycopy(result, 0, sharedSecret, offset, result.length);
        Arrays.fill(result, (byte) 0);
        return result.length;
    }

    @Override
    protected SecretKey engineGenerateSecret(String algorithm) {
        byte[] result = engineGenerateSecret();
        try {
            return new SecretKeySpec(result, algorithm);
        } finally {
            Arrays.fill(result, (byte) 0);
        }
    }

    private static boolean isX25519(AlgorithmParameterSpec params) {
        return params instanceof NamedParameterSpec named && "X25519".equalsIgnoreCase(named.getName());
    }

    /**
     * The u-coordinate as RFC 7748's 32 little-endian bytes. The decoder masks the top bit and reduces values
     * at or above the field prime, as the RFC asks of receivers; a value that needs more than 32 bytes is no
     * encoding at all.
     */
    private static byte[] littleEndian(BigInteger u) throws InvalidKeyException {
        if (u.signum() < 0 || u.bitLength() > 8 * X25519.POINT_SIZE) {
            throw new InvalidKeyException("the peer's X25519 u-coordinate does not fit 32 bytes");
        }
        byte[] bigEndian = u.toByteArray();
        byte[] little = new byte[X25519.POINT_SIZE];
        for (int i = 0; i < X25519.POINT_SIZE && i < bigEndian.length; i++) {
            little[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return little;
    }
}
