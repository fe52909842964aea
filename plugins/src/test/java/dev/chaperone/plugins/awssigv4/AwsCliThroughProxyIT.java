package dev.chaperone.plugins.awssigv4;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chaperone.plugins.allowlist.AllowlistFilterFactory;
import dev.chaperone.server.audit.AuditLog;
import dev.chaperone.server.audit.ExchangeRecord;
import dev.chaperone.server.chain.ChainEntry;
import dev.chaperone.server.instance.ProxyToken;
import dev.chaperone.server.plugin.LoadedPlugin;
import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.TestCertificates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AWS CLI in a sandbox's place, holding dummy credentials, talks to S3 through a real Chaperone proxy: the
 * instance's chain re-signs every request with the real credentials, which only s3proxy (verifying SigV4 over
 * HTTPS on loopback) and the instance's secrets know. Without the signing plugin the same calls fail upstream.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AwsCliThroughProxyIT {

    /** The host the sandbox calls, as it would in production; the proxy's hosts file points it at s3proxy. */
    private static final String S3_HOST = "s3.us-east-1.amazonaws.com";
    private static final String ACCESS_KEY_ID = "AKIACHAPERONEREAL003";
    private static final String SECRET_ACCESS_KEY = "chaperone/Real+Secret/Held/Only/By/The/Proxy/03";
    private static final String DUMMY_ACCESS_KEY_ID = "AKIASANDBOXDUMMY0003";
    private static final String DUMMY_SECRET_ACCESS_KEY = "sandbox-dummy-secret-that-signs-nothing";
    private static final Map<String, String> INSTANCE_SECRETS = Map.of("aws_key", ACCESS_KEY_ID,
            "aws_secret", SECRET_ACCESS_KEY);
    private static final List<LoadedPlugin> BUILT_INS = List.of(
            new LoadedPlugin(new AllowlistFilterFactory(), "built-in"),
            new LoadedPlugin(new AwsSigV4FilterFactory(), "built-in"));
    private static final String SIGNATURE_ERROR = "(SignatureDoesNotMatch|InvalidAccessKeyId)";
    private static final int TWENTY_MIB = 20 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static CapturedLogs logs;
    private static S3ProxyServer s3;
    private static ProxyFixture proxy;
    private static URI endpoint;
    private static Path twentyMegabytes;

    /** Everything this test's clients printed or received, searched for the secret afterwards. */
    private final List<String> seen = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        assertThat(AwsCli.version()).startsWith("aws-cli/");
        logs = CapturedLogs.capture();
        TestCertificates s3Tls = TestCertificates.create(work.resolve("s3-tls"), List.of(S3_HOST, "127.0.0.1"));
        s3 = S3ProxyServer.https(ACCESS_KEY_ID, SECRET_ACCESS_KEY, s3Tls.keyStore(), TestCertificates.PASSWORD);
        Path hosts = Files.writeString(work.resolve("hosts"), "127.0.0.1 " + S3_HOST + "\n");
        proxy = ProxyFixture.start(work.resolve("proxy"),
                settings -> settings.withHostsFile(hosts).withUpstreamCaFile(s3Tls.caPem()), UnaryOperator.identity());
        endpoint = URI.create("https://" + S3_HOST + ":" + s3.port());
        byte[] bytes = new byte[TWENTY_MIB];
        new Random(20).nextBytes(bytes);
        twentyMegabytes = Files.write(work.resolve("twenty-megabytes.bin"), bytes);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (proxy != null) {
                proxy.close();
            }
            if (s3 != null) {
                s3.close();
            }
        } finally {
            if (logs != null) {
                logs.close();
            }
        }
    }

    @AfterEach
    void secretAccessKeyWasNeverShown() throws Exception {
        List<ExchangeRecord> records = proxy.listener().exchanges();
        assertThat(seen).isNotEmpty();
        assertThat(records).isNotEmpty();
        assertLacksSecret("client output and proxy answers", String.join("\n", seen));
        assertLacksSecret("exchange records", records.toString());
        assertLacksSecret("audit lines", auditLines(records));
        assertLacksSecret("log output", logs.text());
    }

    @Test
    void createsUploadsListsDownloadsAndDeletesWithDummyCredentialsThroughTheProxy() throws Exception {
        AwsCli aws = sandbox(register("signing-box", signingChain()));
        Path copy = work.resolve("downloaded.bin");

        assertSucceeded(run(aws, "s3", "mb", "s3://through-proxy"));
        AwsCli.Result upload = run(aws, "--debug", "s3", "cp", "--only-show-errors", twentyMegabytes.toString(),
                "s3://through-proxy/big.bin");
        assertSucceeded(upload);
        // The parts go as aws-chunked bodies with a checksum trailer inside chunked transfer coding, after an
        // Expect: 100-continue; the proxy signs them with the literal payload hash.
        assertThat(upload.stderr()).contains("UploadPart", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "aws-chunked",
                "100-continue");
        assertThat(run(aws, "s3", "ls", "s3://through-proxy").stdout()).contains("20971520 big.bin");
        assertSucceeded(run(aws, "s3", "cp", "--only-show-errors", "s3://through-proxy/big.bin", copy.toString()));
        assertThat(sha256(copy)).isEqualTo(sha256(twentyMegabytes));
        assertSucceeded(run(aws, "s3", "rm", "s3://through-proxy/big.bin"));
        assertSucceeded(run(aws, "s3", "rb", "s3://through-proxy"));
        assertThat(run(aws, "s3api", "list-buckets").stdout()).doesNotContain("through-proxy");

        List<ExchangeRecord> exchanges = exchangesOf("signing-box");
        assertThat(exchanges).extracting(ExchangeRecord::decision).containsOnly("forwarded");
        assertThat(exchanges).extracting(ExchangeRecord::status).allMatch(status -> status >= 200 && status < 300);
        assertThat(exchanges).filteredOn(record -> "PUT".equals(record.method()))
                .extracting(ExchangeRecord::path).contains("/through-proxy/big.bin");
        assertThat(exchanges.stream().mapToLong(ExchangeRecord::bytesUp).sum()).isGreaterThan(TWENTY_MIB);
        assertThat(logs.text()).contains("aws-sigv4 signed PUT " + S3_HOST);
    }

    @Test
    void theSameCallsFailWithASignatureErrorWithoutTheSigningPlugin() throws Exception {
        AwsCli aws = sandbox(register("allowlist-only-box", allowlist()));

        assertSignatureError(run(aws, "s3", "mb", "s3://without-signing"));
        assertSignatureError(run(aws, "s3", "cp", "--only-show-errors", twentyMegabytes.toString(),
                "s3://without-signing/big.bin"));
        assertSignatureError(run(aws, "s3", "ls", "s3://without-signing"));
        // The download starts with a HEAD, whose error response has no body to name the error.
        AwsCli.Result download = run(aws, "s3", "cp", "--only-show-errors", "s3://without-signing/big.bin",
                work.resolve("never-written.bin").toString());
        assertThat(download.exitCode()).isNotZero();
        assertThat(download.stderr()).contains("(403)", "HeadObject");
        assertSignatureError(run(aws, "s3api", "get-object", "--bucket", "without-signing", "--key", "big.bin",
                work.resolve("never-written.bin").toString()));
        assertSignatureError(run(aws, "s3", "rm", "s3://without-signing/big.bin"));
        assertSignatureError(run(aws, "s3", "rb", "s3://without-signing"));

        // The proxy let every request through: the refusals are s3proxy's, which saw only the dummy signature.
        List<ExchangeRecord> exchanges = exchangesOf("allowlist-only-box");
        assertThat(exchanges).isNotEmpty();
        assertThat(exchanges).extracting(ExchangeRecord::decision).containsOnly("forwarded");
        assertThat(exchanges).extracting(ExchangeRecord::status).containsOnly(403);
    }

    @Test
    void boto3PutsAndGetsAnObjectWithDummyCredentialsThroughTheProxy() throws Exception {
        AwsCli sandbox = sandbox(register("boto3-box", signingChain()));
        Path script = work.resolve("boto3_smoke.py");
        try (InputStream in = AwsCliThroughProxyIT.class.getResourceAsStream("boto3_smoke.py")) {
            Files.write(script, in.readAllBytes());
        }

        AwsCli.Result result = sandbox.runOther(List.of("python3", script.toString(), endpoint.toString(),
                "boto3-bucket"));
        seen.add(result.toString());

        assertSucceeded(result);
        List<String> lines = result.stdout().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("sent ");
        assertThat(lines.get(1)).isEqualTo(lines.get(0).replace("sent ", "got "));
        assertThat(exchangesOf("boto3-box")).extracting(ExchangeRecord::method)
                .contains("PUT", "GET", "DELETE");
    }

    @Test
    void theProxysOwnAnswersAndRelayedErrorsNeverCarryTheSecret() throws Exception {
        ProxyFixture.Credentials box = register("answers-box", signingChain());
        HttpClient client = proxy.jdkClient(box, HttpClient.Version.HTTP_1_1);
        String sandboxSignature = "AWS4-HMAC-SHA256 Credential=" + DUMMY_ACCESS_KEY_ID + "/20240101/us-east-1/s3/"
                + "aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64);

        HttpResponse<String> relayed = client.send(HttpRequest.newBuilder(endpoint.resolve("/no-such-bucket/key"))
                .header("Authorization", sandboxSignature).GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> presigned = client.send(HttpRequest.newBuilder(endpoint.resolve(
                "/bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + DUMMY_ACCESS_KEY_ID
                        + "%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=" + "0".repeat(64)))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> badPayloadHash = client.send(HttpRequest.newBuilder(endpoint.resolve("/bucket/key"))
                .header("Authorization", sandboxSignature).header("X-Amz-Content-Sha256", "not-a-hash")
                .PUT(HttpRequest.BodyPublishers.ofString("body")).build(), HttpResponse.BodyHandlers.ofString());
        for (HttpResponse<String> response : List.of(relayed, presigned, badPayloadHash)) {
            seen.add(response.statusCode() + " " + response.headers().map() + "\n" + response.body());
        }

        assertThat(relayed.statusCode()).isEqualTo(404);
        assertThat(relayed.body()).contains("NoSuchBucket");
        assertThat(presigned.statusCode()).isEqualTo(403);
        assertThat(presigned.body()).contains(AwsSigV4Filter.PRESIGNED_REFUSED);
        assertThat(badPayloadHash.statusCode()).isEqualTo(400);
        assertThat(badPayloadHash.body()).contains(AwsSigV4Filter.CONTENT_SHA256_INVALID);
    }

    /** The chain an operator writes: the S3 host allowed, its requests signed with the instance's secrets. */
    private static List<ChainEntry> signingChain() throws IOException {
        ObjectNode signing = JSON.createObjectNode()
                .put("accessKeyId", "${secret:aws_key}")
                .put("secretAccessKey", "${secret:aws_secret}");
        List<ChainEntry> chain = new ArrayList<>(allowlist());
        chain.add(new ChainEntry("aws-sigv4", signing));
        return chain;
    }

    private static List<ChainEntry> allowlist() throws IOException {
        JsonNode hosts = JSON.readTree("{\"hosts\": [\"" + S3_HOST + "\"]}");
        return List.of(new ChainEntry("allowlist", hosts));
    }

    private static ProxyFixture.Credentials register(String id, List<ChainEntry> chain) {
        return proxy.registerChain(id, ProxyToken.generate(), INSTANCE_SECRETS, BUILT_INS, chain);
    }

    /** The CLI as a sandbox runs it: dummy credentials, the proxy's CA only, the instance's proxy URL. */
    private static AwsCli sandbox(ProxyFixture.Credentials credentials) throws IOException {
        Path home = Files.createDirectories(work.resolve("sandbox-" + credentials.id()));
        return AwsCli.forEndpoint(endpoint, DUMMY_ACCESS_KEY_ID, DUMMY_SECRET_ACCESS_KEY, home)
                .trusting(proxy.caPem())
                .through(URI.create(proxy.proxyUrl(credentials)));
    }

    private AwsCli.Result run(AwsCli aws, String... args) throws IOException, InterruptedException {
        AwsCli.Result result = aws.run(args);
        seen.add(result.toString());
        return result;
    }

    private static void assertSucceeded(AwsCli.Result result) {
        assertThat(result.exitCode()).as("%s", errorLines(result)).isZero();
    }

    private static void assertSignatureError(AwsCli.Result result) {
        assertThat(result.exitCode()).as("%s", result).isNotZero();
        assertThat(result.stdout() + result.stderr()).as("%s", result).containsPattern(SIGNATURE_ERROR);
    }

    /** The lines of a failed command worth reading; a --debug run's stderr is long. */
    private static List<String> errorLines(AwsCli.Result result) {
        return result.stderr().lines().filter(line -> line.contains("rror") || line.contains("Exception")).toList();
    }

    private static List<ExchangeRecord> exchangesOf(String instanceId) {
        return proxy.listener().exchanges().stream().filter(record -> instanceId.equals(record.instanceId())).toList();
    }

    /** The records as the audit log writes them. */
    private static String auditLines(List<ExchangeRecord> records) throws IOException {
        Path directory = Files.createTempDirectory(work, "audit");
        try (AuditLog audit = new AuditLog(directory, 64L * 1024 * 1024, 1)) {
            records.forEach(audit::onExchange);
        }
        String lines = Files.readString(directory.resolve(AuditLog.FILE_NAME));
        assertThat(lines.lines()).hasSize(records.size());
        return lines;
    }

    private static void assertLacksSecret(String where, String text) {
        assertThat(text).as(where)
                .doesNotContain(SECRET_ACCESS_KEY, URLEncoder.encode(SECRET_ACCESS_KEY, StandardCharsets.UTF_8));
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
