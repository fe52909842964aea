package dev.chaperone.server.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chaperone.server.testing.Curl;
import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.TestFilters;
import dev.chaperone.server.testing.WireMockUpstreams;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

/** The CA is made once, kept private, and trusted by sandboxes across restarts of the proxy. */
class CertificateAuthorityIT {

    @TempDir
    Path workDir;

    @Test
    void caIsPersistedWithAPrivateKeyAndReusedAfterRestart() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(workDir)) {
            WireMockServer upstream = WireMockUpstreams.start(proxy.upstreamCertificates());
            try {
                upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("ok")));
                ProxyFixture.Credentials box = proxy.register("restart", TestFilters.allowAll());
                Path caPem = proxy.caPem();
                String pemBefore = Files.readString(caPem);
                String fingerprintBefore = proxy.server().certificateAuthority().fingerprint();
                Path key = caPem.resolveSibling(CertificateAuthority.KEY_FILE);

                proxy.restart();
                Curl.Result afterRestart = Curl.run(List.of("-x", proxy.proxyUrl(box), "--cacert", caPem.toString(),
                        "https://api.example.test:" + upstream.httpsPort() + "/"));

                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
                assertThat(Files.readString(proxy.caPem())).isEqualTo(pemBefore);
                assertThat(proxy.server().certificateAuthority().fingerprint()).isEqualTo(fingerprintBefore);
                assertThat(afterRestart.status()).isEqualTo(200);
            } finally {
                upstream.stop();
            }
        }
    }
}
