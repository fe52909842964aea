package dev.chaperone.plugins.awssigv4;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.testing.FakeFilterContext;
import dev.chaperone.spi.testing.FakeFilterRequest;

import static org.assertj.core.api.Assertions.assertThat;

class AwsSigV4FilterTest {

    static final String KEY_ID = "AKIAREALKEYEXAMPLE01";
    static final String SECRET_KEY = "rEaL/SeCrEt+KeY/0123456789abcdefEXAMPLEKEY";
    static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEREALSESSIONTOKENEXAMPLE";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-02T03:04:05Z"), ZoneOffset.UTC);
    static final String AMZ_DATE = "20240102T030405Z";
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final String DUMMY_AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKIADUMMY/20240101/%s/%s/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64);

    private final AwsSigV4FilterFactory factory = new AwsSigV4FilterFactory();

    static AwsSigV4Config config() {
        return AwsSigV4Config.of("${secret:aws-id}", "${secret:aws-secret}");
    }

    static FakeFilterRequest withSecrets(FakeFilterRequest request) {
        return request.withSecret("aws-id", KEY_ID).withSecret("aws-secret", SECRET_KEY)
                .withSecret("aws-token", SESSION_TOKEN);
    }

    private Filter filter(AwsSigV4Config config) {
        return factory.create(config, new FakeFilterContext(CLOCK));
    }

    @Test
    void signsADynamoDbRequestWithTheInstanceCredentialsOverTheBufferedBody() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        FakeFilterRequest request = withSecrets(FakeFilterRequest.of("POST", "https",
                "dynamodb.us-east-1.amazonaws.com", 443,
                "/"))
                .withHeader("Content-Type", "application/x-amz-json-1.0")
                .withHeader("X-Amz-Target", "DynamoDB_20120810.ListTables")
                .withHeader("User-Agent", "aws-cli/2.0")
                .withHeader("Content-Length", "2")
                .withHeader("X-Amz-Date", "20240101T000000Z")
                .withHeader("X-Amz-Security-Token", "dummy-token")
                .withHeader("Authorization", DUMMY_AUTHORIZATION.formatted("us-east-1", "dynamodb"));
        Filter filter = filter(config());

        assertThat(filter.bodyLimit(request)).isEqualTo(10L * 1024 * 1024);
        request.withBody(body);
        Decision decision = filter.onRequest(request);

        assertThat(decision.kind()).isEqualTo(Decision.Kind.PROCEED);
        String hash = SigV4Reference.sha256Hex(body);
        assertSignedOver(request, "us-east-1/dynamodb", String.join("\n",
                "POST", "/", "",
                "content-type:application/x-amz-json-1.0",
                "host:dynamodb.us-east-1.amazonaws.com",
                "x-amz-content-sha256:" + hash,
                "x-amz-date:" + AMZ_DATE,
                "x-amz-target:DynamoDB_20120810.ListTables",
                "",
                "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target",
                hash));
        assertThat(request.headers().getAll("Authorization")).hasSize(1);
        assertThat(request.headers().get("X-Amz-Date")).isEqualTo(AMZ_DATE);
        assertThat(request.headers().contains("X-Amz-Security-Token")).isFalse();
        assertThat(request.headers().get("User-Agent")).isEqualTo("aws-cli/2.0");
    }

    @Test
    void replacesAPayloadHashTheSandboxDeclaredForServicesOtherThanS3() {
        FakeFilterRequest request = withSecrets(FakeFilterRequest.of("POST", "https", "sts.amazonaws.com", 443, "/"))
                .withHeader("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
                .withBody("Action=GetCallerIdentity&Version=2011-06-15".getBytes(StandardCharsets.UTF_8));

        filter(config()).onRequest(request);

        assertThat(request.headers().getAll("X-Amz-Content-Sha256")).containsExactly(
                SigV4Reference.sha256Hex("Action=GetCallerIdentity&Version=2011-06-15"));
        assertThat(request.headers().get("Authorization")).contains("/20240102/us-east-1/sts/aws4_request");
    }

    @Test
    void addsTheSessionTokenAndSignsIt() {
        AwsSigV4Config config = new AwsSigV4Config(null, "${secret:aws-id}", "${secret:aws-secret}",
                "${secret:aws-token}", null, null, null, null, null);
        FakeFilterRequest request = withSecrets(FakeFilterRequest.of("GET", "https",
                "bucket.s3.eu-west-1.amazonaws.com", 443,
                "/key"))
                .withHeader("X-Amz-Security-Token", "dummy-token");
        Filter filter = filter(config);

        filter.onRequest(request);

        assertThat(request.headers().getAll("X-Amz-Security-Token")).containsExactly(SESSION_TOKEN);
        assertSignedOver(request, "eu-west-1/s3", String.join("\n",
                "GET", "/key", "",
                "host:bucket.s3.eu-west-1.amazonaws.com",
                "x-amz-content-sha256:UNSIGNED-PAYLOAD",
                "x-amz-date:" + AMZ_DATE,
                "x-amz-security-token:" + SESSION_TOKEN,
                "",
                "host;x-amz-content-sha256;x-amz-date;x-amz-security-token",
                "UNSIGNED-PAYLOAD"));
        assertThat(filter.headerSecrets()).containsExactlyInAnyOrder("aws-id", "aws-secret", "aws-token");
    }

    @Test
    void letsS3RequestsStreamWithUnsignedPayload() {
        FakeFilterRequest request = withSecrets(FakeFilterRequest.of("GET", "https",
                "bucket.s3.amazonaws.com", 443, "/a/b.txt").withQuery("versionId=3"));
        Filter filter = filter(config());

        assertThat(filter.bodyLimit(request)).isZero();
        assertThat(filter.onRequest(request).kind()).isEqualTo(Decision.Kind.PROCEED);

        assertSignedOver(request, "us-east-1/s3", String.join("\n",
                "GET", "/a/b.txt", "versionId=3",
                "host:bucket.s3.amazonaws.com",
                "x-amz-content-sha256:UNSIGNED-PAYLOAD",
                "x-amz-date:" + AMZ_DATE,
                "",
                "host;x-amz-content-sha256;x-amz-date",
                "UNSIGNED-PAYLOAD"));
    }

    @Test
    void keepsTheSha256AnS3ClientDeclaredWithoutBufferingTheBody() {
        String declared = SigV4Reference.sha256Hex("hello");
        FakeFilterRequest request = withSecrets(FakeFilterRequest.of("PUT", "https", "s3.eu-west-1.amazonaws.com", 443,
                "/bucket/hello.txt"))
                .withHeader("Content-Type", "text/plain")
                .withHeader("Content-Length", "5")
                .withHeader("x-amz-content-sha256", declared)
                .withHeader("Authorization", DUMMY_AUTHORIZATION.formatted("eu-west-1", "s3"));
        Filter filter = filter(config());

        assertThat(filter.bodyLimit(request)).isZero();
        filter.onRequest(request);

        assertSignedOver(request, "eu-west-1/s3", String.join("\n",
                "PUT", "/bucket/hello.txt", "",
                "content-type:text/plain",
                "host:s3.eu-west-1.amazonaws.com",
                "x-amz-content-sha256:" + declared,
                "x-amz-date:" + AMZ_DATE,
                "",
                "content-type;host;x-amz-content-sha256;x-amz-date",
                declared));
    }

    @Test
    void signsUnsignedAwsChunkedUploadsWithTheirTrailerPayloadHash() {
        FakeFilterRequest request = withSecrets(FakeFilterRequest.of("PUT", "https",
                "bucket.s3.us-east-2.amazonaws.com", 443,
                "/big.bin").withQuery("partNumber=1&uploadId=abc"))
                .withHeader("Content-Encoding", "aws-chunked")
                .withHeader("X-Amz-Content-Sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                .withHeader("X-Amz-Decoded-Content-Length", "8388608")
                .withHeader("X-Amz-Trailer", "x-amz-checksum-crc32")
                .withHeader("Content-Length", "8388657");
        Filter filter = filter(config());

        assertThat(filter.bodyLimit(request)).isZero();
        assertThat(filter.onRequest(request).kind()).isEqualTo(Decision.Kind.PROCEED);

        assertSignedOver(request, "us-east-2/s3", String.join("\n",
                "PUT", "/big.bin", "partNumber=1&uploadId=abc",
                "content-encoding:aws-chunked",
                "host:bucket.s3.us-east-2.amazonaws.com",
                "x-amz-content-sha256:STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                "x-amz-date:" + AMZ_DATE,
                "x-amz-decoded-content-length:8388608",
                "x-amz-trailer:x-amz-checksum-crc32",
                "",
                "content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-trailer",
                "STREAMING-UNSIGNED-PAYLOAD-TRAILER"));
    }

    @Test
    void refusesAwsChunkedUploadsWhoseChunksAreSigned() {
        for (String streaming : List.of("STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
                "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
                "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD")) {
            FakeFilterRequest request = withSecrets(FakeFilterRequest.of("PUT", "https",
                    "bucket.s3.amazonaws.com", 443, "/k"))
                    .withHeader("Content-Encoding", "aws-chunked")
                    .withHeader("X-Amz-Content-Sha256", streaming)
                    .withHeader("Authorization", DUMMY_AUTHORIZATION.formatted("us-east-1", "s3"));

            Decision decision = filter(config()).onRequest(request);

            assertThat(decision.kind()).isEqualTo(Decision.Kind.RESPOND);
            assertThat(decision.status()).isEqualTo(400);
            assertThat(decision.error()).isEqualTo("unsupported_request");
            assertThat(decision.reason()).isEqualTo("aws_signed_streaming_payload");
            assertThat(decision.detail()).contains(streaming);
        }
    }

    @Test
    void refusesPayloadHashesS3WouldNotAccept() {
        FakeFilterRequest chunkedButUnsigned = withSecrets(FakeFilterRequest.of("PUT", "https",
                "bucket.s3.amazonaws.com", 443,
                "/k"))
                .withHeader("Content-Encoding", "aws-chunked")
                .withHeader("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD");
        FakeFilterRequest notAHash = withSecrets(FakeFilterRequest.of("PUT", "https",
                "bucket.s3.amazonaws.com", 443, "/k"))
                .withHeader("X-Amz-Content-Sha256", "not-a-hash");

        assertThat(filter(config()).onRequest(chunkedButUnsigned).reason()).isEqualTo("aws_content_sha256_invalid");
        assertThat(filter(config()).onRequest(notAHash).reason()).isEqualTo("aws_content_sha256_invalid");
        assertThat(notAHash.headers().get("X-Amz-Date")).isNull();
    }

    @Test
    void refusesPresignedUrlsByDefault() {
        FakeFilterRequest request = withSecrets(FakeFilterRequest.of("GET", "https",
                "bucket.s3.amazonaws.com", 443, "/k")
                .withQuery("X-Amz-Algorithm=AWS4-HMAC-SHA256"
                        + "&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fs3%2Faws4_request"
                        + "&X-Amz-Date=20240101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host"
                        + "&X-Amz-Signature=abcdef"));
        Filter filter = filter(config());

        assertThat(filter.bodyLimit(request)).isZero();
        Decision decision = filter.onRequest(request);

        assertThat(decision.status()).isEqualTo(403);
        assertThat(decision.error()).isEqualTo(Decision.EGRESS_DENIED);
        assertThat(decision.reason()).isEqualTo("aws_presigned_url_refused");
        assertThat(request.headers().size()).isZero();
    }

    @Test
    void letsPresignedUrlsPassUntouchedWhenAllowed() {
        AwsSigV4Config config = new AwsSigV4Config(null, "${secret:aws-id}", "${secret:aws-secret}", null, null, null,
                null, true, null);
        FakeFilterRequest request = withSecrets(FakeFilterRequest.of("GET", "https",
                "bucket.s3.amazonaws.com", 443, "/k").withQuery("x-amz-signature=abcdef&X-Amz-Credential=AKID"));

        Decision decision = filter(config).onRequest(request);

        assertThat(decision.kind()).isEqualTo(Decision.Kind.PROCEED);
        assertThat(request.headers().size()).isZero();
    }

    @Test
    void failsClosedNamingTheMissingSecret() {
        FakeFilterRequest request = FakeFilterRequest.of("GET", "https", "bucket.s3.amazonaws.com", 443, "/k")
                .withSecret("aws-id", KEY_ID)
                .withHeader("Authorization", DUMMY_AUTHORIZATION.formatted("us-east-1", "s3"));

        Decision decision = filter(config()).onRequest(request);

        assertThat(decision.status()).isEqualTo(403);
        assertThat(decision.reason()).isEqualTo("secret_missing");
        assertThat(decision.detail()).contains("'aws-secret'");
        assertThat(request.headers().get("Authorization")).isEqualTo(DUMMY_AUTHORIZATION.formatted("us-east-1", "s3"));
    }

    @Test
    void leavesRequestsToOtherHostsAlone() {
        FakeFilterRequest request = withSecrets(FakeFilterRequest.of("POST", "https",
                "api.stripe.com", 443, "/v1/charges"))
                .withHeader("Authorization", "Bearer sk_test");
        Filter filter = filter(config());

        assertThat(filter.bodyLimit(request)).isZero();
        assertThat(filter.onRequest(request).kind()).isEqualTo(Decision.Kind.PROCEED);
        assertThat(request.headers().get("Authorization")).isEqualTo("Bearer sk_test");
    }

    @Test
    void takesTheScopeFromTheSandboxsSignatureForAnS3CompatibleEndpoint() {
        AwsSigV4Config config = new AwsSigV4Config(List.of("127.0.0.1"), "${secret:aws-id}", "${secret:aws-secret}",
                null, null, null, null, null, null);
        FakeFilterRequest request = withSecrets(FakeFilterRequest.of("GET", "https",
                "127.0.0.1", 9000, "/bucket").withQuery("list-type=2"))
                .withHeader("Authorization", DUMMY_AUTHORIZATION.formatted("us-west-2", "s3"));

        filter(config).onRequest(request);

        assertSignedOver(request, "us-west-2/s3", String.join("\n",
                "GET", "/bucket", "list-type=2",
                "host:127.0.0.1:9000",
                "x-amz-content-sha256:UNSIGNED-PAYLOAD",
                "x-amz-date:" + AMZ_DATE,
                "",
                "host;x-amz-content-sha256;x-amz-date",
                "UNSIGNED-PAYLOAD"));
    }

    @Test
    void refusesWhenNoScopeCanBeFound() {
        AwsSigV4Config config = new AwsSigV4Config(List.of("127.0.0.1"), "${secret:aws-id}", "${secret:aws-secret}",
                null, null, null, null, null, null);
        FakeFilterRequest request = withSecrets(FakeFilterRequest.of("GET", "https", "127.0.0.1", 9000, "/"));

        Decision decision = filter(config).onRequest(request);

        assertThat(decision.status()).isEqualTo(403);
        assertThat(decision.reason()).isEqualTo("aws_signing_scope_unknown");
    }

    @Test
    void prefersTheConfiguredRegionAndService() {
        AwsSigV4Config config = new AwsSigV4Config(null, "${secret:aws-id}", "${secret:aws-secret}", null,
                "eu-north-1", "execute-api", 1024L, null, null);
        FakeFilterRequest request = withSecrets(FakeFilterRequest.of("GET", "https",
                "abc.execute-api.us-east-1.amazonaws.com", 443, "/prod/a%20b/c%21"))
                .withHeader("Authorization", DUMMY_AUTHORIZATION.formatted("us-west-2", "s3"));
        Filter filter = filter(config);

        assertThat(filter.bodyLimit(request)).isEqualTo(1024);
        request.withBody(new byte[0]);
        filter.onRequest(request);

        // Services other than S3 encode the path of the request a second time.
        assertSignedOver(request, "eu-north-1/execute-api", String.join("\n",
                "GET", "/prod/a%2520b/c%2521", "",
                "host:abc.execute-api.us-east-1.amazonaws.com",
                "x-amz-content-sha256:" + EMPTY_SHA256,
                "x-amz-date:" + AMZ_DATE,
                "",
                "host;x-amz-content-sha256;x-amz-date",
                EMPTY_SHA256));
    }

    @Test
    void signsS3PathsAsSentAndQueriesInCanonicalForm() {
        FakeFilterRequest request = withSecrets(FakeFilterRequest.of("GET", "https", "bucket.s3.amazonaws.com", 443,
                "/dir/a%20b!(1)%2Fc.txt").withQuery("prefix=a b&delimiter=%2F&list-type=2&x=1+1"));

        filter(config()).onRequest(request);

        assertSignedOver(request, "us-east-1/s3", String.join("\n",
                "GET", "/dir/a%20b!(1)%2Fc.txt", "delimiter=%2F&list-type=2&prefix=a%20b&x=1%2B1",
                "host:bucket.s3.amazonaws.com",
                "x-amz-content-sha256:UNSIGNED-PAYLOAD",
                "x-amz-date:" + AMZ_DATE,
                "",
                "host;x-amz-content-sha256;x-amz-date",
                "UNSIGNED-PAYLOAD"));
    }

    @Test
    void refusesAQueryItCannotDecode() {
        FakeFilterRequest request = withSecrets(FakeFilterRequest.of("GET", "https",
                "bucket.s3.amazonaws.com", 443, "/k").withQuery("a=%zz"));

        Decision decision = filter(config()).onRequest(request);

        assertThat(decision.status()).isEqualTo(400);
        assertThat(decision.reason()).isEqualTo("aws_query_malformed");
    }

    @Test
    void refusesPlainHttpUnlessAllowed() {
        FakeFilterRequest plain = withSecrets(FakeFilterRequest.of("GET", "http", "bucket.s3.amazonaws.com", 80, "/k"));
        AwsSigV4Config allowing = new AwsSigV4Config(null, "${secret:aws-id}", "${secret:aws-secret}", null, null,
                null, null, null, true);

        assertThat(filter(config()).onRequest(plain).reason()).isEqualTo("aws_plaintext_refused");
        assertThat(filter(allowing).onRequest(plain).kind()).isEqualTo(Decision.Kind.PROCEED);
        assertThat(plain.headers().get("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + KEY_ID + "/");
    }

    /** Asserts that the request carries exactly the signature of {@code canonicalRequest} under the real key. */
    static void assertSignedOver(FakeFilterRequest request, String regionAndService, String canonicalRequest) {
        String scope = AMZ_DATE.substring(0, 8) + "/" + regionAndService + "/aws4_request";
        String stringToSign = SigV4Reference.stringToSign(AMZ_DATE, scope, canonicalRequest);
        String[] lines = canonicalRequest.split("\n");
        assertThat(request.headers().getAll("Authorization")).containsExactly("AWS4-HMAC-SHA256 Credential=" + KEY_ID
                + "/" + scope + ", SignedHeaders=" + lines[lines.length - 2] + ", Signature="
                + SigV4Reference.signature(SECRET_KEY, scope, stringToSign));
        assertThat(request.headers().getAll("X-Amz-Date")).containsExactly(AMZ_DATE);
        assertThat(request.headers().getAll("X-Amz-Content-Sha256")).containsExactly(lines[lines.length - 1]);
    }
}
