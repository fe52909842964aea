package dev.chaperone.plugins.awssigv4;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the AWS CLI ({@code aws}, Debian package {@code awscli} or pip's {@code awscli}) the way a sandbox would:
 * credentials, CA bundle and proxy from the environment, an explicit endpoint, nothing read from the user's
 * AWS configuration.
 */
final class AwsCli {

    /** What one command did. */
    record Result(int exitCode, String stdout, String stderr) {

        boolean succeeded() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    private final Map<String, String> environment = new LinkedHashMap<>();
    private final URI endpoint;

    private AwsCli(URI endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * A CLI that sends every command to {@code endpoint} in region us-east-1 with the given credentials.
     *
     * @param workDirectory a directory of the test's, for an empty AWS configuration
     */
    static AwsCli forEndpoint(URI endpoint, String accessKeyId, String secretAccessKey, Path workDirectory)
            throws IOException {
        AwsCli cli = new AwsCli(endpoint);
        Path config = Files.writeString(workDirectory.resolve("aws-config"),
                "[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n", StandardCharsets.UTF_8);
        cli.environment.put("AWS_ACCESS_KEY_ID", accessKeyId);
        cli.environment.put("AWS_SECRET_ACCESS_KEY", secretAccessKey);
        cli.environment.put("AWS_DEFAULT_REGION", "us-east-1");
        cli.environment.put("AWS_CONFIG_FILE", config.toString());
        cli.environment.put("AWS_SHARED_CREDENTIALS_FILE", workDirectory.resolve("no-credentials").toString());
        cli.environment.put("AWS_EC2_METADATA_DISABLED", "true");
        cli.environment.put("AWS_PAGER", "");
        return cli;
    }

    /** Trusts the certificates in this PEM file for HTTPS ({@code AWS_CA_BUNDLE}). */
    AwsCli trusting(Path caBundlePem) {
        environment.put("AWS_CA_BUNDLE", caBundlePem.toString());
        return this;
    }

    /** Sends HTTPS requests through this proxy ({@code HTTPS_PROXY}: {@code http://id:token@127.0.0.1:3128}). */
    AwsCli through(URI proxy) {
        environment.put("HTTPS_PROXY", proxy.toString());
        environment.put("https_proxy", proxy.toString());
        return this;
    }

    /**
     * Makes the CLI add flexible checksums only where an operation requires them, as older CLIs did. Newer CLIs
     * send a CRC32 checksum with every upload by default: over HTTPS as the trailer of an {@code aws-chunked}
     * body, which s3proxy accepts, but over plain HTTP in a header, which s3proxy refuses for multipart parts.
     */
    AwsCli checksumsOnlyWhenRequired() {
        environment.put("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required");
        environment.put("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
        return this;
    }

    /** Runs {@code aws --endpoint-url ENDPOINT args...}. */
    Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", endpoint.toString()));
        command.addAll(List.of(args));
        return execute(command);
    }

    /**
     * Runs another AWS client, such as a boto3 script, in the same environment as the CLI: the same credentials,
     * CA bundle, proxy and configuration file. The endpoint is not passed; give it in {@code command}.
     */
    Result runOther(List<String> command) throws IOException, InterruptedException {
        return execute(command);
    }

    private Result execute(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.equalsIgnoreCase("http_proxy")
                || name.equalsIgnoreCase("https_proxy") || name.equalsIgnoreCase("no_proxy")
                || name.equalsIgnoreCase("all_proxy"));
        env.putAll(environment);
        Path stdout = Files.createTempFile("aws-cli", ".out");
        Path stderr = Files.createTempFile("aws-cli", ".err");
        try {
            Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 5 minutes");
            }
            return new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /** The CLI's version line, or an explanation of how to install it. */
    static String version() throws InterruptedException {
        try {
            Process process = new ProcessBuilder("aws", "--version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor() == 0 ? output : "aws --version failed: " + output;
        } catch (IOException e) {
            return "the AWS CLI is not installed (apt-get install -y awscli, or pip install awscli)";
        }
    }
}
