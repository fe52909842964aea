package dev.chaperone.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.chaperone.server.config.ConfigLoader;

/** Checks the files the tarball ships against the code they describe. */
class ShippedFilesTest {

    private static final Path DIST = Path.of("src/dist");

    @Test
    void propertiesFileDocumentsEveryKeyWithItsDefault() throws IOException {
        List<String> lines = Files.readAllLines(DIST.resolve("conf/chaperone.properties"));

        for (String key : ConfigLoader.knownKeys()) {
            String expected = "#" + key + "=" + ConfigLoader.defaultValue(key).orElse("");
            assertThat(lines).as("conf/chaperone.properties documents %s", key).contains(expected);
            int index = lines.indexOf(expected);
            assertThat(lines.get(index - 1)).as("the line above %s explains it", key).startsWith("# ");
        }
    }

    @Test
    void propertiesFileSetsNothing() throws IOException {
        List<String> lines = Files.readAllLines(DIST.resolve("conf/chaperone.properties"));

        assertThat(lines).allMatch(line -> line.isBlank() || line.startsWith("#"));
    }

    @Test
    void launcherIsAValidPosixShellScript() throws Exception {
        Process check = new ProcessBuilder("sh", "-n", DIST.resolve("bin/chaperone").toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes());

        assertThat(check.waitFor()).as(output).isZero();
    }
}
