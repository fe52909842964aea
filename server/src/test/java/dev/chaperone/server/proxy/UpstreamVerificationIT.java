package dev.chaperone.server.proxy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chaperone.server.testing.Curl;
import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.TestCertificates;
import dev.chaperone.server.testing.TestFilters;
import dev.chaperone.server.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy checks an upstream's certificate against the host name the sandbox asked for, not against the
 * address that name resolved to: certificates here name only DNS names, never 127.0.0.1.
 */
class UpstreamVerificationIT {

    @TempDir
    static Path workDir;

    static TestCertificates namedOnly;
    static ProxyFixture proxy;
    static TestUpstream upstream;
    static ProxyFixture.Credentials box;

    @BeforeAll
    static void start() throws Exception {
        namedOnly = TestCertificates.create(workDir.resolve("named-only"), List.of("api.example.test"));
        proxy = ProxyFixture.start(workDir.resolve("proxy"),
                settings -> settings.withUpstreamCaFile(namedOnly.caPem()), resolver -> resolver);
        upstream = TestUpstream.start(namedOnly, TestUpstream.answering("verified"));
        box = proxy.register("verify", TestFilters.allowAll());
    }

    @AfterAll
    static void stop() {
        upstream.close();
        proxy.close();
    }

    private Curl.Result curl(String url) throws Exception {
        return Curl.run(List.of("-x", proxy.proxyUrl(box), "--cacert", proxy.caPem().toString(), url));
    }

    @Test
    void acceptsACertificateThatNamesTheRequestedHost() throws Exception {
        Curl.Result result = curl("https://api.example.test:" + upstream.port() + "/");

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).isEqualTo("verified");
    }

    @Test
    void refusesACertificateForAnotherHostEvenAtTheSameAddress() throws Exception {
        Curl.Result result = curl("https://other.example.test:" + upstream.port() + "/");

        assertThat(result.status()).isEqualTo(502);
        assertThat(result.body()).contains("\"error\":\"upstream_tls_failed\"");
    }
}
