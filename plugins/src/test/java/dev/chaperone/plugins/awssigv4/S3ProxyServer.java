package dev.chaperone.plugins.awssigv4;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;

import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 server for tests: s3proxy on loopback, port 0, verifying AWS SigV2 and SigV4 signatures against one
 * pair of credentials, keeping objects in memory. It speaks HTTPS with a keystore the test provides (the proxy
 * intercepts TLS, so an end-to-end test needs an HTTPS upstream) or plain HTTP.
 */
final class S3ProxyServer implements AutoCloseable {

    private final S3Proxy proxy;
    private final BlobStoreContext blobStore;
    private final URI endpoint;
    private final String accessKeyId;
    private final String secretAccessKey;

    private S3ProxyServer(S3Proxy proxy, BlobStoreContext blobStore, URI endpoint, String accessKeyId,
            String secretAccessKey) {
        this.proxy = proxy;
        this.blobStore = blobStore;
        this.endpoint = endpoint;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
    }

    /** Starts an HTTPS server presenting the key and certificate of {@code keystore} (PKCS#12 or JKS). */
    static S3ProxyServer https(String accessKeyId, String secretAccessKey, Path keystore, String password)
            throws Exception {
        Properties properties = properties(accessKeyId, secretAccessKey);
        properties.setProperty("s3proxy.secure-endpoint", "https://127.0.0.1:0");
        properties.setProperty("s3proxy.keystore-path", keystore.toString());
        properties.setProperty("s3proxy.keystore-password", password);
        return start(properties, true, accessKeyId, secretAccessKey);
    }

    /** Starts a plain HTTP server. */
    static S3ProxyServer http(String accessKeyId, String secretAccessKey) throws Exception {
        Properties properties = properties(accessKeyId, secretAccessKey);
        properties.setProperty("s3proxy.endpoint", "http://127.0.0.1:0");
        return start(properties, false, accessKeyId, secretAccessKey);
    }

    private static Properties properties(String accessKeyId, String secretAccessKey) {
        Properties properties = new Properties();
        properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        properties.setProperty("s3proxy.identity", Objects.requireNonNull(accessKeyId, "accessKeyId"));
        properties.setProperty("s3proxy.credential", Objects.requireNonNull(secretAccessKey, "secretAccessKey"));
        // Requests without aws-chunked encoding are buffered by s3proxy to check their payload hash.
        properties.setProperty("s3proxy.v4-max-non-chunked-request-size", String.valueOf(64L * 1024 * 1024));
        return properties;
    }

    private static S3ProxyServer start(Properties properties, boolean secure, String accessKeyId,
            String secretAccessKey) throws Exception {
        BlobStoreContext blobStore = ContextBuilder.newBuilder("transient-nio2")
                .credentials("unused", "unused")
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.Builder.fromProperties(properties).blobStore(blobStore.getBlobStore()).build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                proxy.stop();
                blobStore.close();
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        int port = secure ? proxy.getSecurePort() : proxy.getPort();
        URI endpoint = URI.create((secure ? "https" : "http") + "://127.0.0.1:" + port);
        return new S3ProxyServer(proxy, blobStore, endpoint, accessKeyId, secretAccessKey);
    }

    /** {@code https://127.0.0.1:PORT} or {@code http://127.0.0.1:PORT}. */
    URI endpoint() {
        return endpoint;
    }

    int port() {
        return endpoint.getPort();
    }

    String accessKeyId() {
        return accessKeyId;
    }

    String secretAccessKey() {
        return secretAccessKey;
    }

    @Override
    public void close() throws Exception {
        try {
            proxy.stop();
        } finally {
            blobStore.close();
        }
    }

    @Override
    public String toString() {
        return "s3proxy at " + endpoint;
    }
}
