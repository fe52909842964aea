package dev.chaperone.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unpacks the tarball that {@code mvn package} built and runs {@code bin/chaperone} from it as an operator
 * would, as a real process.
 */
class TarballIT {

    private static final String VERSION = System.getProperty("dist.test.version");

    @TempDir
    static Path unpacked;

    private static Path home;

    @BeforeAll
    static void unpackTarball() throws Exception {
        Path tarball = Path.of(System.getProperty("dist.test.tarball"));
        assertThat(tarball).exists();
        Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", unpacked.toString())
                .redirectErrorStream(true).start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).isZero();
        home = unpacked.resolve("chaperone-" + VERSION);
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
        String jarName = "chaperone-example-request-id-" + VERSION + ".jar";
        Path jar = home.resolve("plugins").resolve(jarName);
        Files.copy(Path.of(System.getProperty("dist.test.example-plugin-dir"), jarName), jar);
        Path state = Files.createDirectories(unpacked.resolve("plugin-run"));
        Map<String, String> environment = Map.of(
                "CHAPERONE_PROXY_PORT", "0",
                "CHAPERONE_ADMIN_PORT", "0",
                "CHAPERONE_DATA_DIR", state.resolve("data").toString(),
                "CHAPERONE_LOG_DIR", state.resolve("logs").toString());
        try {
            String expected = "plugin request-id (" + jarName + "): Sets a header";

            assertThat(startAndReadUntil(environment, expected)).contains(expected);
        } finally {
            Files.delete(jar);
        }
    }

    /**
     * Starts the server and returns its standard output up to the first line containing {@code expected},
     * or all of it when the process ends first; then stops the process.
     */
    private static String startAndReadUntil(Map<String, String> environment, String expected) throws Exception {
        ProcessBuilder builder = launcher(home.resolve("bin/chaperone"), environment).redirectErrorStream(true);
        Process process = builder.start();
        Thread watchdog = new Thread(() -> {
            try {
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.append(line).append('\n');
                if (line.contains(expected)) {
                    break;
                }
            }
        } finally {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        return output.toString();
    }

    private static Result chaperone(Map<String, String> environment, String... args) throws Exception {
        return run(home.resolve("bin/chaperone"), environment, args);
    }

    private static Result run(Path launcher, Map<String, String> environment, String... args) throws Exception {
        ProcessBuilder builder = launcher(launcher, environment, args);
        Path out = Files.createTempFile(unpacked, "out", ".txt");
        Path err = Files.createTempFile(unpacked, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/chaperone " + String.join(" ", args) + " did not finish");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The launcher with these arguments, in an environment without the test machine's own settings. */
    private static ProcessBuilder launcher(Path launcher, Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("CHAPERONE_") || name.equals("JAVA_OPTS"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        return builder;
    }

    private record Result(int status, String out, String err) {
    }
}
