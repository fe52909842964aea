package dev.chaperone.server.upstream;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.eclipse.jetty.util.ssl.SslContextFactory;

import dev.chaperone.server.tls.Pem;

/**
 * The certificates the proxy trusts when it connects to upstreams: the JDK's trust store plus the
 * certificates of an optional PEM file. Host names are always verified; there is no way to trust all.
 */
public final class UpstreamTrust {

    private UpstreamTrust() {
    }

    /**
     * A TLS client context that verifies upstream certificates and host names against the JDK's trust
     * anchors and those in {@code extraCaFile}.
     *
     * @throws IOException when the file cannot be read or holds no certificate
     */
    public static SslContextFactory.Client clientContext(Optional<Path> extraCaFile) throws IOException {
        SslContextFactory.Client context = new SslContextFactory.Client();
        context.setTrustAll(false);
        context.setEndpointIdentificationAlgorithm("HTTPS");
        context.setTrustStore(trustStore(extraCaFile));
        return context;
    }

    static KeyStore trustStore(Optional<Path> extraCaFile) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (X509Certificate anchor : jdkTrustAnchors()) {
                store.setCertificateEntry("jdk-" + index++, anchor);
            }
            if (extraCaFile.isPresent()) {
                List<X509Certificate> extra = Pem.readCertificates(extraCaFile.get());
                if (extra.isEmpty()) {
                    throw new IOException(extraCaFile.get() + " holds no certificate");
                }
                for (X509Certificate certificate : extra) {
                    store.setCertificateEntry("extra-" + index++, certificate);
                }
            }
            return store;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build the upstream trust store: " + e.getMessage(), e);
        }
    }

    private static X509Certificate[] jdkTrustAnchors() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509.getAcceptedIssuers();
            }
        }
        return new X509Certificate[0];
    }
}
