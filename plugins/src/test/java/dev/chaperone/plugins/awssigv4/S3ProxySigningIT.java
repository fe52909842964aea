package dev.chaperone.plugins.awssigv4;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.Headers;
import dev.chaperone.spi.testing.FakeFilterContext;
import dev.chaperone.spi.testing.FakeFilterRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests signed by the filter, sent with the JDK HTTP client straight to s3proxy over HTTPS, which verifies
 * SigV4 against the real credentials: what the proxy will do, without the proxy.
 */
class S3ProxySigningIT {

    private static final String ACCESS_KEY_ID = "AKIAS3PROXYREALKEY02";
    private static final String SECRET_ACCESS_KEY = "another/Real+Secret/Key/For/Tests/987654";
    private static final String SANDBOX_AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKIADUMMYSANDBOX/20240101/"
            + "us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64);
    /** Headers the JDK client sets itself and refuses to take from the caller. */
    private static final Set<String> CLIENT_OWNED = Set.of("host", "content-length", "connection", "expect",
            "upgrade");

    @TempDir
    static Path work;

    private static S3ProxyServer s3;
    private static HttpClient client;

    private final Filter filter = filter(SECRET_ACCESS_KEY);

    @BeforeAll
    static void startS3() throws Exception {
        TestKeystore keystore = TestKeystore.create(work);
        s3 = S3ProxyServer.https(ACCESS_KEY_ID, SECRET_ACCESS_KEY, keystore.keystore(), keystore.password());
        client = HttpClient.newBuilder()
                .sslContext(keystore.clientContext())
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    private static Filter filter(String secretAccessKey) {
        AwsSigV4Config config = new AwsSigV4Config(List.of("127.0.0.1"), "${secret:aws-id}", "${secret:aws-secret}",
                null, null, null, null, null, null);
        return new AwsSigV4FilterFactory().create(config, new FakeFilterContext(Clock.systemUTC()));
    }

    @Test
    void createsUploadsListsDownloadsAndDeletesWithRequestsTheFilterSigned() throws Exception {
        byte[] big = new byte[20 * 1024 * 1024];
        new Random(42).nextBytes(big);
        byte[] small = "small object, hash declared by the client".getBytes(StandardCharsets.UTF_8);

        assertThat(send(filter, "PUT", "/signed-bucket", null, new Headers(), new byte[0]).statusCode())
                .isEqualTo(200);
        assertThat(send(filter, "PUT", "/signed-bucket/big.bin", null,
                new Headers().add("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
                        .add("Content-Type", "application/octet-stream"), big).statusCode())
                .isEqualTo(200);
        assertThat(send(filter, "PUT", "/signed-bucket/dir/a%20b!(1).txt", null,
                new Headers().add("X-Amz-Content-Sha256", SigV4Reference.sha256Hex(small)), small).statusCode())
                .isEqualTo(200);

        HttpResponse<byte[]> listing = send(filter, "GET", "/signed-bucket", "list-type=2&prefix=", new Headers(),
                null);
        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(new String(listing.body(), StandardCharsets.UTF_8))
                .contains("<Key>big.bin</Key>", "<Key>dir/a b!(1).txt</Key>", "<Size>20971520</Size>");

        HttpResponse<byte[]> download = send(filter, "GET", "/signed-bucket/big.bin", null, new Headers(), null);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(big);
        assertThat(send(filter, "GET", "/signed-bucket/dir/a%20b!(1).txt", null, new Headers(), null).body())
                .isEqualTo(small);

        assertThat(send(filter, "DELETE", "/signed-bucket/big.bin", null, new Headers(), null).statusCode())
                .isEqualTo(204);
        assertThat(send(filter, "DELETE", "/signed-bucket/dir/a%20b!(1).txt", null, new Headers(), null).statusCode())
                .isEqualTo(204);
        assertThat(send(filter, "DELETE", "/signed-bucket", null, new Headers(), null).statusCode()).isEqualTo(204);
    }

    @Test
    void uploadsAnUnsignedAwsChunkedBodyWithAChecksumTrailer() throws Exception {
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        CRC32 crc = new CRC32();
        crc.update(content);
        String checksum = Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue())
                .array());
        byte[] chunked = awsChunked(content, 65_536, "x-amz-checksum-crc32:" + checksum);

        assertThat(send(filter, "PUT", "/chunked-bucket", null, new Headers(), new byte[0]).statusCode())
                .isEqualTo(200);
        HttpResponse<byte[]> upload = send(filter, "PUT", "/chunked-bucket/trailer.bin", null, new Headers()
                .add("Content-Encoding", "aws-chunked")
                .add("X-Amz-Content-Sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                .add("X-Amz-Decoded-Content-Length", String.valueOf(content.length))
                .add("X-Amz-Trailer", "x-amz-checksum-crc32"), chunked);

        assertThat(upload.statusCode()).as(new String(upload.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(send(filter, "GET", "/chunked-bucket/trailer.bin", null, new Headers(), null).body())
                .isEqualTo(content);
    }

    @Test
    void failsWithASignatureErrorWhenTheInstanceSecretIsWrong() throws Exception {
        HttpResponse<byte[]> response = send(filter("wrong/secret/access/key/0000000000000000"), "GET", "/", null,
                new Headers(), null, "wrong/secret/access/key/0000000000000000");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("SignatureDoesNotMatch");
    }

    @Test
    void refusesTheSandboxsOwnSignatureWithoutTheFilter() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(s3.endpoint() + "/"))
                .header("Authorization", SANDBOX_AUTHORIZATION)
                .header("X-Amz-Date", "20240101T000000Z")
                .header("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
                .GET()
                .build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).containsAnyOf("SignatureDoesNotMatch", "InvalidAccessKeyId",
                "RequestTimeTooSkewed");
    }

    private static HttpResponse<byte[]> send(Filter filter, String method, String path, String query,
            Headers sandboxHeaders, byte[] body) throws Exception {
        return send(filter, method, path, query, sandboxHeaders, body, SECRET_ACCESS_KEY);
    }

    /** Plays the proxy: runs the filter over the sandbox's request, then sends what it produced. */
    private static HttpResponse<byte[]> send(Filter filter, String method, String path, String query,
            Headers sandboxHeaders, byte[] body, String secretAccessKey) throws Exception {
        FakeFilterRequest request = FakeFilterRequest.of(method, "https", "127.0.0.1", s3.port(), path)
                .withQuery(query)
                .withSecret("aws-id", ACCESS_KEY_ID)
                .withSecret("aws-secret", secretAccessKey)
                .withHeader("Authorization", SANDBOX_AUTHORIZATION)
                .withHeader("X-Amz-Date", "20240101T000000Z");
        for (int i = 0; i < sandboxHeaders.size(); i++) {
            request.withHeader(sandboxHeaders.nameAt(i), sandboxHeaders.valueAt(i));
        }
        if (body != null) {
            request.withHeader("Content-Length", String.valueOf(body.length));
        }
        assertThat(filter.bodyLimit(request)).as("S3 bodies stream").isZero();
        Decision decision = filter.onRequest(request);
        assertThat(decision.kind()).isEqualTo(Decision.Kind.PROCEED);

        HttpRequest.Builder upstream = HttpRequest.newBuilder(
                URI.create(s3.endpoint() + path + (query == null ? "" : "?" + query)))
                .timeout(Duration.ofMinutes(2))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        Headers headers = request.headers();
        for (int i = 0; i < headers.size(); i++) {
            if (!CLIENT_OWNED.contains(headers.nameAt(i).toLowerCase(Locale.ROOT))) {
                upstream.header(headers.nameAt(i), headers.valueAt(i));
            }
        }
        return client.send(upstream.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** An aws-chunked body without chunk signatures, ending with one trailer line. */
    private static byte[] awsChunked(byte[] content, int chunkSize, String trailer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 1024);
        for (int offset = 0; offset < content.length; offset += chunkSize) {
            int length = Math.min(chunkSize, content.length - offset);
            out.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(content, offset, length);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("0\r\n" + trailer + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
