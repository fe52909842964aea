package dev.chaperone.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void printsTheVersion() {
        int status = execute("--version");

        assertThat(status).isZero();
        assertThat(out()).isEqualTo("chaperone " + System.getProperty("dist.test.version") + "\n");
        assertThat(err()).isEmpty();
    }

    @Test
    void printsUsage() {
        int status = execute("--help");

        assertThat(status).isZero();
        assertThat(out()).startsWith("Usage: chaperone [--config FILE] [COMMAND]\n").contains("  ca  ");
    }

    @Test
    void refusesAnUnknownOption() {
        int status = execute("--verbose");

        assertThat(status).isEqualTo(2);
        assertThat(err()).isEqualTo("chaperone: unknown option '--verbose'; see chaperone --help\n");
    }

    @Test
    void refusesAnUnknownCommand() {
        int status = execute("start", "now");

        assertThat(status).isEqualTo(2);
        assertThat(err()).isEqualTo("chaperone: unknown command 'start now'; see chaperone --help\n");
    }

    @Test
    void reportsABadSettingInOneLine() throws IOException {
        Path config = config("chaperone.proxy.port=99999");

        int status = execute("--config", config.toString(), "ca");

        assertThat(status).isEqualTo(2);
        assertThat(err()).isEqualTo("chaperone: chaperone.proxy.port = '99999' (from file " + config
                + "): must be a port from 0 to 65535\n");
        assertThat(out()).isEmpty();
    }

    @Test
    void reportsAMissingConfigurationFile() {
        Path missing = home.resolve("conf/chaperone.properties");

        int status = execute("--config", missing.toString());

        assertThat(status).isEqualTo(2);
        assertThat(err()).isEqualTo("chaperone: the configuration file " + missing
                + " does not exist or cannot be read\n");
    }

    @Test
    void saysSoWhenThereIsNoCaYet() throws IOException {
        Path config = config("chaperone.data.dir=" + home.resolve("data"));

        int status = execute("--config", config.toString(), "ca");

        assertThat(status).isEqualTo(1);
        assertThat(err()).isEqualTo("chaperone: no CA certificate at " + home.resolve("data/ca.pem")
                + " yet; it is created when the server first starts\n");
    }

    @Test
    void printsTheCaPathAndFingerprint() throws Exception {
        Path ca = Files.createDirectories(home.resolve("data")).resolve("ca.pem");
        String fingerprint = TestCertificates.writeSelfSigned(ca);
        Path config = config("chaperone.data.dir=" + home.resolve("data"));

        int status = execute("--config", config.toString(), "ca");

        assertThat(status).isZero();
        assertThat(out()).isEqualTo("CA certificate: " + ca + "\nSHA-256 fingerprint: " + fingerprint + "\n");
    }

    @Test
    void refusesToStartWithABrokenPluginJar() throws IOException {
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        Files.writeString(plugins.resolve("broken.jar"), "not a jar");
        Path config = config("chaperone.plugins.dir=" + plugins);

        int status = execute("--config", config.toString());

        assertThat(status).isEqualTo(2);
        assertThat(err()).isEqualTo("chaperone: plugin JAR broken.jar cannot be opened: "
                + "it is not a readable JAR file\n");
    }

    private int execute(String... args) {
        return Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path config(String... lines) throws IOException {
        return Files.write(home.resolve("chaperone.properties"), List.of(lines));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
