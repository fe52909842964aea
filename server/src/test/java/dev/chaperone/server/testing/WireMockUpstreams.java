package dev.chaperone.server.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/**
 * WireMock as an HTTPS upstream behind the proxy: it presents the fixture's upstream certificate, which the
 * proxy trusts. Modules that use it need {@code org.wiremock:wiremock-standalone} as a test dependency (the
 * plain artifact brings Jetty 11 and breaks next to Jetty 12).
 */
public final class WireMockUpstreams {

    private WireMockUpstreams() {
    }

    /** Options for a WireMock server on 127.0.0.1 with an HTTPS port and a plain HTTP port, both picked freely. */
    public static WireMockConfiguration options(TestCertificates certificates) {
        return WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .dynamicHttpsPort()
                .keystorePath(certificates.keyStore().toString())
                .keystorePassword(TestCertificates.PASSWORD)
                .keyManagerPassword(TestCertificates.PASSWORD)
                .keystoreType("PKCS12");
    }

    /** Starts a WireMock server with {@link #options}; stop it when done. */
    public static WireMockServer start(TestCertificates certificates) {
        WireMockServer server = new WireMockServer(options(certificates));
        server.start();
        return server;
    }
}
