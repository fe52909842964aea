package dev.chaperone.server.tls;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.HexFormat;
import javax.crypto.KeyAgreement;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandshakeCryptoProviderTest {

    private static final HexFormat HEX = HexFormat.of();
    // RFC 7748 section 6.1.
    private static final String ALICE_PRIVATE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    private static final String ALICE_PUBLIC = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    private static final String BOB_PUBLIC = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    private static final String SHARED = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

    @BeforeAll
    static void install() {
        HandshakeCryptoProvider.install();
    }

    @Test
    void x25519MatchesTheRfc7748Vectors() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("XDH", HandshakeCryptoProvider.instance());
        generator.initialize(NamedParameterSpec.X25519, fixedRandom(HEX.parseHex(ALICE_PRIVATE)));
        KeyPair alice = generator.generateKeyPair();

        assertThat(((XECPublicKey) alice.getPublic()).getU())
                .isEqualTo(new BigInteger(1, X25519PublicKey.reversed(HEX.parseHex(ALICE_PUBLIC))));
        assertThat(HEX.formatHex(agree(alice.getPrivate(), jdkPublicKey(HEX.parseHex(BOB_PUBLIC))))).isEqualTo(SHARED);
    }

    @Test
    void x25519AgreesWithTheJdkInBothDirections() throws Exception {
        KeyPairGenerator ours = KeyPairGenerator.getInstance("XDH", HandshakeCryptoProvider.instance());
        ours.initialize(NamedParameterSpec.X25519);
        KeyPairGenerator jdk = KeyPairGenerator.getInstance("XDH", "SunEC");
        jdk.initialize(NamedParameterSpec.X25519);
        for (int i = 0; i < 20; i++) {
            KeyPair mine = ours.generateKeyPair();
            KeyPair theirs = jdk.generateKeyPair();

            KeyAgreement jdkAgreement = KeyAgreement.getInstance("XDH", "SunEC");
            jdkAgreement.init(theirs.getPrivate());
            jdkAgreement.doPhase(mine.getPublic(), true);

            assertThat(agree(mine.getPrivate(), theirs.getPublic())).isEqualTo(jdkAgreement.generateSecret());
        }
    }

    @Test
    void x25519KeysEncodeAsRfc8410AndTheJdkReadsThem() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("XDH", HandshakeCryptoProvider.instance());
        generator.initialize(NamedParameterSpec.X25519, fixedRandom(HEX.parseHex(ALICE_PRIVATE)));
        KeyPair alice = generator.generateKeyPair();
        KeyFactory jdk = KeyFactory.getInstance("XDH", "SunEC");

        XECPublicKey decoded = (XECPublicKey) jdk.generatePublic(
                new X509EncodedKeySpec(alice.getPublic().getEncoded()));
        PrivateKey decodedPrivate = jdk.generatePrivate(new PKCS8EncodedKeySpec(alice.getPrivate().getEncoded()));

        assertThat(decoded.getU()).isEqualTo(((XECPublicKey) alice.getPublic()).getU());
        KeyAgreement jdkAgreement = KeyAgreement.getInstance("XDH", "SunEC");
        jdkAgreement.init(decodedPrivate);
        jdkAgreement.doPhase(jdkPublicKey(HEX.parseHex(BOB_PUBLIC)), true);
        assertThat(HEX.formatHex(jdkAgreement.generateSecret())).isEqualTo(SHARED);
    }

    @Test
    void x25519RefusesPeerKeysOfSmallOrder() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("XDH", HandshakeCryptoProvider.instance());
        generator.initialize(NamedParameterSpec.X25519);
        PrivateKey mine = generator.generateKeyPair().getPrivate();

        for (BigInteger u : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE}) {
            KeyAgreement agreement = KeyAgreement.getInstance("XDH", HandshakeCryptoProvider.instance());
            agreement.init(mine);
            PublicKey smallOrder = KeyFactory.getInstance("XDH", "SunEC")
                    .generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u));

            assertThatThrownBy(() -> agreement.doPhase(smallOrder, true))
                    .isInstanceOf(InvalidKeyException.class).hasMessageContaining("small order");
        }
    }

    @Test
    void installedProviderTakesX25519AndItsOwnKeysOnly() throws Exception {
        KeyPairGenerator x25519 = KeyPairGenerator.getInstance("XDH");
        x25519.initialize(NamedParameterSpec.X25519);
        KeyPair mine = x25519.generateKeyPair();
        KeyPairGenerator x448 = KeyPairGenerator.getInstance("XDH");
        x448.initialize(NamedParameterSpec.X448);
        KeyPair jdkX448 = x448.generateKeyPair();
        KeyAgreement withMine = KeyAgreement.getInstance("XDH");
        withMine.init(mine.getPrivate());
        KeyAgreement withX448 = KeyAgreement.getInstance("XDH");
        withX448.init(jdkX448.getPrivate());
        Signature withJdkKey = Signature.getInstance("SHA256withECDSA");
        withJdkKey.initSign(p256KeyPair().getPrivate());
        Signature withSigningKey = Signature.getInstance("SHA256withECDSA");
        withSigningKey.initSign(P256SigningKey.of(p256KeyPair().getPrivate()));

        assertThat(x25519.getProvider()).isSameAs(HandshakeCryptoProvider.instance());
        assertThat(mine.getPrivate()).isInstanceOf(X25519PrivateKey.class);
        assertThat(x448.getProvider().getName()).isEqualTo("SunEC");
        assertThat(withMine.getProvider()).isSameAs(HandshakeCryptoProvider.instance());
        assertThat(withX448.getProvider().getName()).isEqualTo("SunEC");
        assertThat(withJdkKey.getProvider().getName()).isEqualTo("SunEC");
        assertThat(withSigningKey.getProvider()).isSameAs(HandshakeCryptoProvider.instance());
    }

    @Test
    void ecdsaMatchesTheRfc6979VectorAndTheJdkVerifiesIt() throws Exception {
        // RFC 6979 appendix A.2.5, P-256 with SHA-256, message "sample".
        ECParameterSpec p256 = p256Parameters();
        PrivateKey jdkKey = KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(
                new BigInteger("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721", 16), p256));
        byte[] message = "sample".getBytes(StandardCharsets.US_ASCII);

        byte[] signature = sign(P256SigningKey.of(jdkKey), message);

        ASN1Sequence rs = ASN1Sequence.getInstance(signature);
        assertThat(ASN1Integer.getInstance(rs.getObjectAt(0)).getValue())
                .isEqualTo(new BigInteger("EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716", 16));
        assertThat(ASN1Integer.getInstance(rs.getObjectAt(1)).getValue())
                .isEqualTo(new BigInteger("F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8", 16));
    }

    @Test
    void ecdsaSignaturesVerifyWithTheJdkAndTheWrapperAnswersForItsKey() throws Exception {
        KeyPair keys = p256KeyPair();
        P256SigningKey signingKey = P256SigningKey.of(keys.getPrivate());
        SecureRandom random = new SecureRandom();
        for (int length = 0; length < 300; length += 13) {
            byte[] message = new byte[length];
            random.nextBytes(message);

            Signature verifier = Signature.getInstance("SHA256withECDSA", "SunEC");
            verifier.initVerify(keys.getPublic());
            verifier.update(message);

            assertThat(verifier.verify(sign(signingKey, message))).isTrue();
        }
        assertThat(signingKey.getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
        assertThat(signingKey.getAlgorithm()).isEqualTo("EC");
        assertThat(signingKey.getParams()).isSameAs(((ECPrivateKey) keys.getPrivate()).getParams());
    }

    @Test
    void onlyP256KeysAreWrapped() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        PrivateKey p384 = generator.generateKeyPair().getPrivate();

        assertThat(P256SigningKey.isP256(p384)).isFalse();
        assertThat(P256SigningKey.isP256(p256KeyPair().getPrivate())).isTrue();
        assertThatThrownBy(() -> P256SigningKey.of(p384)).isInstanceOf(IllegalArgumentException.class);
        Signature jdk = Signature.getInstance("SHA256withECDSA");
        jdk.initSign(p384);
        assertThat(jdk.getProvider().getName()).isEqualTo("SunEC");
    }

    private static byte[] agree(PrivateKey mine, PublicKey theirs) throws Exception {
        KeyAgreement agreement = KeyAgreement.getInstance("XDH", HandshakeCryptoProvider.instance());
        agreement.init(mine);
        agreement.doPhase(theirs, true);
        return agreement.generateSecret("TlsPremasterSecret").getEncoded();
    }

    private static PublicKey jdkPublicKey(byte[] littleEndianU) throws Exception {
        return KeyFactory.getInstance("XDH", "SunEC").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519,
                new BigInteger(1, X25519PublicKey.reversed(littleEndianU))));
    }

    private static byte[] sign(PrivateKey key, byte[] message) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA", HandshakeCryptoProvider.instance());
        signer.initSign(key);
        signer.update(message);
        return signer.sign();
    }

    private static KeyPair p256KeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "SunEC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static ECParameterSpec p256Parameters() throws Exception {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        return parameters.getParameterSpec(ECParameterSpec.class);
    }

    /** A random source that hands out the given bytes, for key generation from a known scalar. */
    private static SecureRandom fixedRandom(byte[] bytes) {
        return new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] into) {
                System.arraycopy(bytes, 0, into, 0, into.length);
            }
        };
    }
}
