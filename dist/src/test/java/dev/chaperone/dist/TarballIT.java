package dev.chaperone.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chaperone.dist.Installation.Result;

/**
 * Unpacks the tarball that {@code mvn package} built and runs {@code bin/chaperone} from it as an operator
 * would, as a real process.
 */
class TarballIT {

    private static final String VERSION = Installation.VERSION;

    @TempDir
    static Path unpacked;

    private static Installation installation;
    private static Path home;

    @BeforeAll
    static void unpackTarball() throws Exception {
        installation = Installation.unpack(unpacked);
        home = installation.home();
    }

    @Test
    void holdsTheLauncherConfigurationLibrariesAndLicense() throws IOException {
        assertThat(home.resolve("bin/chaperone")).isExecutable();
        assertThat(home.resolve("conf/chaperone.properties")).isRegularFile();
        assertThat(home.resolve("conf/logback.xml")).isRegularFile();
        assertThat(home.resolve("plugins/README.txt")).isRegularFile();
        assertThat(Files.readString(home.resolve("LICENSE"))).contains("Apache License", "Version 2.0");
        try (var jars = Files.list(home.resolve("lib"))) {
            assertThat(jars.map(jar -> jar.getFileName().toString()).toList())
                    .contains("chaperone-dist-" + VERSION + ".jar", "chaperone-server-" + VERSION + ".jar",
                            "chaperone-spi-" + VERSION + ".jar", "chaperone-plugins-" + VERSION + ".jar")
                    .anyMatch(name -> name.startsWith("logback-classic-"));
        }
    }

    @Test
    void printsTheVersion() throws Exception {
        Result result = chaperone(Map.of(), "--version");

        assertThat(result.status()).isZero();
        assertThat(result.out()).isEqualTo("chaperone " + VERSION + "\n");
    }

    @Test
    void printsUsage() throws Exception {
        Result result = chaperone(Map.of(), "--help");

        assertThat(result.status()).isZero();
        assertThat(result.out()).startsWith("Usage: chaperone [--config FILE] [COMMAND]\n");
    }

    @Test
    void printsTheCaOnlyOnceThereIsOne() throws Exception {
        Path ca = home.resolve("data/ca.pem");
        Files.deleteIfExists(ca);

        Result before = chaperone(Map.of(), "ca");

        assertThat(before.status()).isEqualTo(1);
        assertThat(before.err()).isEqualTo("chaperone: no CA certificate at " + ca
                + " yet; it is created when the server first starts\n");

        Files.createDirectories(ca.getParent());
        String fingerprint = TestCertificates.writeSelfSigned(ca);
        Result after = chaperone(Map.of(), "ca");

        assertThat(after.status()).isZero();
        assertThat(after.out()).isEqualTo("CA certificate: " + ca + "\nSHA-256 fingerprint: " + fingerprint + "\n");
    }

    @Test
    void reportsABadEnvironmentVariableInOneLine() throws Exception {
        Result result = chaperone(Map.of("CHAPERONE_PROXY_PORT", "99999"), "ca");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("chaperone: chaperone.proxy.port = '99999' (from environment variable "
                + "CHAPERONE_PROXY_PORT): must be a port from 0 to 65535\n");
    }

    @Test
    void passesJavaOptsToTheJvm() throws Exception {
        Result result = chaperone(Map.of("JAVA_OPTS", "-Xmx64m -Dchaperone.admin.port=70000"), "ca");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("chaperone: chaperone.admin.port = '70000' (from system property "
                + "-Dchaperone.admin.port): must be a port from 0 to 65535\n");
    }

    @Test
    void refusesJavaOlderThanSeventeen() throws Exception {
        Path oldJava = Files.createDirectories(unpacked.resolve("old-java/bin")).resolve("java");
        Files.writeString(oldJava, "#!/bin/sh\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\n");
        Files.setPosixFilePermissions(oldJava, PosixFilePermissions.fromString("rwxr-xr-x"));

        Result result = chaperone(Map.of("JAVA_HOME", unpacked.resolve("old-java").toString()), "--version");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("chaperone: Java 17 or later is needed, but " + oldJava
                + " is version 11.0.2\n");
    }

    @Test
    void findsItsInstallationThroughASymbolicLink() throws Exception {
        Path link = Files.createDirectories(unpacked.resolve("usr-local-bin")).resolve("chaperone");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, home.resolve("bin/chaperone"));

        Result result = run(link, Map.of(), "--version");

        assertThat(result.status()).isZero();
        assertThat(result.out()).isEqualTo("chaperone " + VERSION + "\n");
    }

    @Test
    void loadsAPluginJarDroppedIntoThePluginsDirectory() throws Exception {
        Path jar = home.resolve("plugins").resolve(Installation.examplePluginJar().getFileName());
        Files.copy(Installation.examplePluginJar(), jar);
        Path state = Files.createDirectories(unpacked.resolve("plugin-run"));
        Map<String, String> environment = Map.of(
                "CHAPERONE_PROXY_PORT", "0",
                "CHAPERONE_ADMIN_PORT", "0",
                "CHAPERONE_DATA_DIR", state.resolve("data").toString(),
                "CHAPERONE_LOG_DIR", state.resolve("logs").toString());
        try (ServerProcess server = ServerProcess.start(installation, environment)) {
            String expected = "plugin request-id (" + jar.getFileName() + "): Sets a header";

            assertThat(server.awaitLine(Pattern.compile(Pattern.quote(expected))).group()).isEqualTo(expected);
        } finally {
            Files.delete(jar);
        }
    }

    private static Result chaperone(Map<String, String> environment, String... args) throws Exception {
        return installation.run(environment, args);
    }

    private static Result run(Path launcher, Map<String, String> environment, String... args)
            throws Exception {
        return installation.run(launcher, environment, args);
    }
}
