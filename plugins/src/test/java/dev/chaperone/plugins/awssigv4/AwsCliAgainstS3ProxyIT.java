package dev.chaperone.plugins.awssigv4;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AWS CLI against s3proxy over HTTPS with the real credentials and no proxy in between: shows that the
 * harness (keystore, CA bundle, endpoint, credentials from the environment) works on its own.
 * {@link AwsCliThroughProxyIT} sends the same calls through the proxy with dummy credentials.
 */
class AwsCliAgainstS3ProxyIT {

    private static final String ACCESS_KEY_ID = "AKIAS3PROXYREALKEY01";
    private static final String SECRET_ACCESS_KEY = "s3proxy/Real+Secret/Key/For/Tests/0123456";

    @TempDir
    static Path work;

    private static S3ProxyServer s3;
    private static TestKeystore keystore;

    @BeforeAll
    static void startS3() throws Exception {
        assertThat(AwsCli.version()).startsWith("aws-cli/");
        keystore = TestKeystore.create(work);
        s3 = S3ProxyServer.https(ACCESS_KEY_ID, SECRET_ACCESS_KEY, keystore.keystore(), keystore.password());
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    private AwsCli cli(String secretAccessKey) throws Exception {
        return AwsCli.forEndpoint(s3.endpoint(), ACCESS_KEY_ID, secretAccessKey, work)
                .trusting(keystore.certificatePem());
    }

    @Test
    void createsUploadsListsDownloadsAndDeletesWithTheRealCredentials() throws Exception {
        Path original = work.resolve("twenty-megabytes.bin");
        byte[] bytes = new byte[20 * 1024 * 1024];
        new Random(6).nextBytes(bytes);
        Files.write(original, bytes);
        Path copy = work.resolve("copy.bin");
        AwsCli aws = cli(SECRET_ACCESS_KEY);

        assertThat(aws.run("s3", "mb", "s3://cli-bucket")).matches(AwsCli.Result::succeeded, "mb");
        AwsCli.Result upload = aws.run("--debug", "s3", "cp", "--only-show-errors", original.toString(),
                "s3://cli-bucket/big.bin");
        assertThat(upload.exitCode()).as(upload.stderr().lines().filter(l -> l.contains("Error")).toList().toString())
                .isZero();
        // Over HTTPS the CLI uploads parts as aws-chunked bodies with a checksum trailer: the case the proxy
        // must sign with the literal payload hash.
        assertThat(upload.stderr()).contains("STREAMING-UNSIGNED-PAYLOAD-TRAILER", "UploadPart");
        AwsCli.Result listing = aws.run("s3", "ls", "s3://cli-bucket");
        assertThat(listing.stdout()).contains("20971520 big.bin");
        assertThat(aws.run("s3", "cp", "--only-show-errors", "s3://cli-bucket/big.bin", copy.toString()))
                .matches(AwsCli.Result::succeeded, "cp down");
        assertThat(Files.mismatch(original, copy)).isEqualTo(-1L);
        assertThat(aws.run("s3", "rm", "s3://cli-bucket/big.bin")).matches(AwsCli.Result::succeeded, "rm");
        assertThat(aws.run("s3", "rb", "s3://cli-bucket")).matches(AwsCli.Result::succeeded, "rb");
    }

    @Test
    void failsWithASignatureErrorWhenTheSecretIsWrong() throws Exception {
        AwsCli.Result result = cli("wrong/secret/key").run("s3api", "list-buckets");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("SignatureDoesNotMatch");
    }
}
