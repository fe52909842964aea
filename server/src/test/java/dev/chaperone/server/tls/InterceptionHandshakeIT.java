package dev.chaperone.server.tls;

import java.nio.file.Path;
import java.security.Security;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.chaperone.server.testing.Curl;
import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.TestCertificates;
import dev.chaperone.server.testing.TestFilters;
import dev.chaperone.server.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Intercepted handshakes with curl (OpenSSL) for each key exchange group it can be held to: X25519 goes
 * through {@link HandshakeCryptoProvider}, the others through the JDK's providers, and every one of them
 * gets the leaf signed by the provider's ECDSA.
 */
class InterceptionHandshakeIT {

    @TempDir
    static Path workDir;

    static ProxyFixture proxy;
    static TestUpstream upstream;
    static ProxyFixture.Credentials box;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates certificates = TestCertificates.create(workDir.resolve("upstream"),
                List.of("api.example.test"));
        proxy = ProxyFixture.start(workDir.resolve("proxy"),
                settings -> settings.withUpstreamCaFile(certificates.caPem()), resolver -> resolver);
        upstream = TestUpstream.start(certificates, TestUpstream.answering("handshaken"));
        box = proxy.register("handshake", TestFilters.allowAll());
    }

    @AfterAll
    static void stop() {
        upstream.close();
        proxy.close();
    }

    @Test
    void theStartedProxyPutsTheHandshakeProviderFirst() {
        assertThat(Security.getProviders()[0]).isSameAs(HandshakeCryptoProvider.instance());
    }

    @ParameterizedTest
    @ValueSource(strings = {"X25519", "P-256", "X448", "P-384"})
    void curlCompletesTheInterceptedHandshakeWithEachKeyExchangeGroup(String group) throws Exception {
        for (String protocol : List.of("--http1.1", "--http2")) {
            Curl.Result result = Curl.run(List.of("-x", proxy.proxyUrl(box), "--cacert", proxy.caPem().toString(),
                    "--curves", group, "--tlsv1.3", protocol, "https://api.example.test:" + upstream.port() + "/"));

            assertThat(result.exitCode()).as(group + " " + protocol + ": " + result.stderr()).isZero();
            assertThat(result.status()).isEqualTo(200);
            assertThat(result.body()).isEqualTo("handshaken");
        }
    }
}
