package dev.chaperone.dist;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The tarball that {@code mvn package} built, unpacked into a directory of the test's own, with ways to run
 * its {@code bin/chaperone} as an operator would: as a real process, in an environment without the test
 * machine's own Chaperone settings.
 */
final class Installation {

    /** The version the tarball was built as. */
    static final String VERSION = System.getProperty("dist.test.version");

    private final Path home;

    private Installation(Path home) {
        this.home = home;
    }

    /** Unpacks the tarball into {@code directory}; the installation is {@code chaperone-<version>} inside it. */
    static Installation unpack(Path directory) throws Exception {
        Path tarball = Path.of(System.getProperty("dist.test.tarball"));
        if (!Files.isRegularFile(tarball)) {
            throw new IllegalStateException("no tarball at " + tarball + "; run mvn package first");
        }
        Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", directory.toString())
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) {
            throw new IllegalStateException("tar failed: " + output);
        }
        return new Installation(directory.resolve("chaperone-" + VERSION));
    }

    /** The installation directory. */
    Path home() {
        return home;
    }

    /** The example plugin's JAR as its own module built it. */
    static Path examplePluginJar() {
        return Path.of(System.getProperty("dist.test.example-plugin-dir"),
                "chaperone-example-request-id-" + VERSION + ".jar");
    }

    /** Runs {@code bin/chaperone} with {@code args} to its end. */
    Result run(Map<String, String> environment, String... args) throws Exception {
        return run(home.resolve("bin/chaperone"), environment, args);
    }

    /** Runs {@code launcher} (such as a link to {@code bin/chaperone}) with {@code args} to its end. */
    Result run(Path launcher, Map<String, String> environment, String... args) throws Exception {
        Path out = Files.createTempFile(home.getParent(), "out", ".txt");
        Path err = Files.createTempFile(home.getParent(), "err", ".txt");
        Process process = launcher(launcher, environment, args)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(launcher + " " + String.join(" ", args) + " did not finish");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** {@code bin/chaperone} with these arguments and settings, ready to start. */
    ProcessBuilder launcher(Map<String, String> environment, String... args) {
        return launcher(home.resolve("bin/chaperone"), environment, args);
    }

    private static ProcessBuilder launcher(Path launcher, Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("CHAPERONE_") || name.equals("JAVA_OPTS"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        return builder;
    }

    /** What a finished run returned and printed. */
    record Result(int status, String out, String err) {
    }
}
