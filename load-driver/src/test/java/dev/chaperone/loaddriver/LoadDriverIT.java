package dev.chaperone.loaddriver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the local upstream directly for about a second per protocol and mode. */
class LoadDriverIT {
    private static UpstreamServer upstream;
    private static Path caFile;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startUpstream() throws Exception {
        upstream = new UpstreamServer(64, true, Duration.ofMinutes(1));
        upstream.start();
        caFile = Files.writeString(dir.resolve("upstream-ca.pem"), upstream.caPem());
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        upstream.close();
    }

    private static RunResult drive(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--target",
                "https://bench.test:" + upstream.httpsPort() + "/", "--resolve-all", "127.0.0.1", "--ca-file",
                caFile.toString(), "--warmup-seconds", "0.2", "--duration-seconds", "1", "--connections", "4"));
        args.addAll(List.of(extra));
        try (LoadDriver driver = new LoadDriver(DriverOptions.parse(args))) {
            return driver.run();
        }
    }

    @Test
    void completesKeptAliveHttp11RequestsInAClosedLoop() throws Exception {
        RunResult result = drive("--protocol", "h1");

        assertThat(result.requests()).isPositive();
        assertThat(result.errors()).isZero();
        assertThat(result.negotiated()).isEqualTo("HTTP/1.1");
        assertThat(result.p50Us()).isPositive();
    }

    @Test
    void negotiatesHttp2ByAlpn() throws Exception {
        RunResult result = drive("--protocol", "h2");

        assertThat(result.requests()).isPositive();
        assertThat(result.errors()).isZero();
        assertThat(result.negotiated()).isEqualTo("HTTP/2.0");
    }

    @Test
    void sendsOnScheduleInAnOpenLoop() throws Exception {
        RunResult result = drive("--rate", "50");

        assertThat(result.loop()).isEqualTo("open");
        assertThat(result.requests()).isEqualTo(50);
        assertThat(result.errors()).isZero();
    }

    @Test
    void opensANewConnectionPerRequest() throws Exception {
        RunResult result = drive("--mode", "new-connection");

        assertThat(result.requests()).isPositive();
        assertThat(result.errors()).isZero();
    }

    @Test
    void servesOneResultLinePerLineOfArgumentsAndAnErrorLineForABadOne() throws Exception {
        String run = "--target https://bench.test:" + upstream.httpsPort() + "/ --resolve-all 127.0.0.1 --ca-file "
                + caFile + " --warmup-seconds 0 --duration-seconds 0.3 --connections 2";
        String commands = run + " --label first\n\n--connections none\n" + run + " --label second --protocol h2\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        LoadDriverMain.serve(new BufferedReader(new StringReader(commands)),
                new PrintStream(out, true, StandardCharsets.UTF_8));

        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            lines.add(new ObjectMapper().readTree(line));
        }
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).path("label").asText()).isEqualTo("first");
        assertThat(lines.get(0).path("errors").asLong(-1)).isZero();
        assertThat(lines.get(0).path("requests").asLong()).isPositive();
        assertThat(lines.get(1).path("error").asText()).contains("--connections");
        assertThat(lines.get(2).path("label").asText()).isEqualTo("second");
        assertThat(lines.get(2).path("negotiated").asText()).isEqualTo("HTTP/2.0");
    }

    @Test
    void reportsErrorsForAnUntrustedUpstream() throws Exception {
        List<String> args = List.of("--target", "https://127.0.0.1:" + upstream.httpsPort() + "/",
                "--warmup-seconds", "0", "--duration-seconds", "0.5", "--connections", "1");
        RunResult result;
        try (LoadDriver driver = new LoadDriver(DriverOptions.parse(args))) {
            result = driver.run();
        }

        assertThat(result.errors()).isPositive().isEqualTo(result.requests());
        assertThat(result.firstError()).isNotBlank();
    }
}
