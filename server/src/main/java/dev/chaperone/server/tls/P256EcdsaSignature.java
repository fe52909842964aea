package dev.chaperone.server.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.AlgorithmParameterSpec;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/**
 * SHA256withECDSA signing with a {@link P256SigningKey}, for {@link HandshakeCryptoProvider}: the JDK's
 * SHA-256, then Bouncy Castle's ECDSA on its specialised P-256 with a precomputed base point table. The
 * nonce is derived from the key and the digest (RFC 6979), so a weak random source cannot leak the key.
 * The signature is DER-encoded, as the JDK's is. Verification is left to the JDK.
 */
final class P256EcdsaSignature extends SignatureSpi {

    private final MessageDigest digest;
    private P256SigningKey key;

    P256EcdsaSignature() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    @Override
    protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
        if (!(privateKey instanceof P256SigningKey signing)) {
            throw new InvalidKeyException("not a key of this provider: "
                    + (privateKey == null ? null : privateKey.getClass()));
        }
        key = signing;
        digest.reset();
    }

    @Override
    protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
        throw new InvalidKeyException("this provider only signs; the JDK's providers verify");
    }

    @Override
    protected void engineUpdate(byte b) {
        digest.update(b);
    }

    @Override
    protected void engineUpdate(byte[] bytes, int offset, int length) {
        digest.update(bytes, offset, length);
    }

    @Override
    protected byte[] engineSign() throws SignatureException {
        if (key == null) {
            throw new SignatureException("not initialised for signing");
        }
        byte[] hash = digest.digest();
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, key.parameters());
        BigInteger[] rs = signer.generateSignature(hash);
        try {
            return StandardDSAEncoding.INSTANCE.encode(P256SigningKey.DOMAIN.getN(), rs[0], rs[1]);
        } catch (IOException e) {
            throw new SignatureException("cannot encode an ECDSA signature", e);
        }
    }

    @Override
    protected boolean engineVerify(byte[] signature) throws SignatureException {
        throw new SignatureException("this provider only signs");
    }

    @Override
    protected void engineSetParameter(AlgorithmParameterSpec params) throws InvalidAlgorithmParameterException {
        if (params != null) {
            throw new InvalidAlgorithmParameterException("SHA256withECDSA takes no parameters");
        }
    }

    @Override
    @Deprecated
    protected void engineSetParameter(String param, Object value) {
        throw new InvalidParameterException("SHA256withECDSA takes no parameters");
    }

    @Override
    @Deprecated
    protected Object engineGetParameter(String param) {
        throw new InvalidParameterException("SHA256withECDSA takes no parameters");
    }
}
