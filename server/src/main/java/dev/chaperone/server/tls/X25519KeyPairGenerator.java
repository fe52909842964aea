package dev.chaperone.server.tls;

import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidParameterException;
import java.security.KeyPair;
import java.security.KeyPairGeneratorSpi;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.NamedParameterSpec;

import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Makes X25519 key pairs for {@link HandshakeCryptoProvider}. Any other curve (X448) is refused at
 * initialisation, which makes the JCA fall over to the JDK's own generator.
 */
final class X25519KeyPairGenerator extends KeyPairGeneratorSpi {

    private SecureRandom random;

    @Override
    public void initialize(int keysize, SecureRandom random) {
        if (keysize != 255) {
            throw new InvalidParameterException("only X25519 (255 bits) is generated here, not " + keysize);
        }
        this.random = random;
    }

    @Override
    public void initialize(AlgorithmParameterSpec params, SecureRandom random)
            throws InvalidAlgorithmParameterException {
        if (!(params instanceof NamedParameterSpec named) || !"X25519".equalsIgnoreCase(named.getName())) {
            throw new InvalidAlgorithmParameterException("only X25519 is generated here, not " + params);
        }
        this.random = random;
    }

    @Override
    public KeyPair generateKeyPair() {
        if (random == null) {
            // Never initialised: one source for every key pair of this generator, not one per key pair.
            random = new SecureRandom();
        }
        byte[] scalar = new byte[X25519.SCALAR_SIZE];
        byte[] u = new byte[X25519.POINT_SIZE];
        X25519.generatePrivateKey(random, scalar);
        X25519.generatePublicKey(scalar, 0, u, 0);
        return new KeyPair(new X25519PublicKey(u), new X25519PrivateKey(scalar));
    }
}
