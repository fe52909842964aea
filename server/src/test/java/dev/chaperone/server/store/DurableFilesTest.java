package dev.chaperone.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {

    @TempDir
    Path directory;

    @Test
    void writesOwnerOnlyEvenOverATemporaryFileLeftByAnInterruptedWrite() throws IOException {
        Path target = directory.resolve("secrets.key");
        Path leftover = Files.createFile(directory.resolve("secrets.key" + DurableFiles.TEMP_SUFFIX),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));

        DurableFiles.write(target, new byte[] {1, 2, 3});

        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
        assertThat(leftover).doesNotExist();
    }
}
