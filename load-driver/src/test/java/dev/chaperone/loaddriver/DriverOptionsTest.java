package dev.chaperone.loaddriver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriverOptionsTest {
    @TempDir
    Path dir;

    @Test
    void readsAnOpenLoopRunThroughAnAuthenticatingProxy() throws Exception {
        Path auth = Files.writeString(dir.resolve("auth"), "sandbox-1:s3cret:with-colon\n");

        DriverOptions options = DriverOptions.parse(List.of("--target", "https://bench.test:8443/", "--proxy",
                "127.0.0.1:3128", "--proxy-auth-file", auth.toString(), "--protocol", "h2", "--rate", "250",
                "--duration-seconds", "1.5", "--label", "x|y|50"));

        assertThat(options.openLoop()).isTrue();
        assertThat(options.rate()).isEqualTo(250);
        assertThat(options.protocol()).isEqualTo(Protocol.H2);
        assertThat(options.duration()).isEqualTo(Duration.ofMillis(1_500));
        assertThat(options.proxy()).hasValueSatisfying(proxy -> {
            assertThat(proxy.host()).isEqualTo("127.0.0.1");
            assertThat(proxy.port()).isEqualTo(3128);
            assertThat(proxy.user()).hasValue("sandbox-1");
            assertThat(proxy.password()).hasValue("s3cret:with-colon");
        });
        assertThat(options.label()).isEqualTo("x|y|50");
    }

    @Test
    void runsAClosedLoopDirectlyByDefault() {
        DriverOptions options = DriverOptions.parse(List.of("--target", "http://127.0.0.1:8080/"));

        assertThat(options.openLoop()).isFalse();
        assertThat(options.proxy()).isEmpty();
        assertThat(options.mode()).isEqualTo(Mode.KEEP_ALIVE);
        assertThat(options.connections()).isPositive();
    }

    @Test
    void needsAHostRangeForUniqueHosts() {
        assertThatThrownBy(() -> DriverOptions.parse(List.of("--target", "https://bench.test/", "--mode",
                "unique-hosts"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host count");

        DriverOptions options = DriverOptions.parse(List.of("--target", "https://bench.test/", "--mode",
                "unique-hosts", "--host-range", "1000:500"));
        assertThat(options.firstHostIndex()).isEqualTo(1_000);
        assertThat(options.hostCount()).isEqualTo(500);
    }

    @Test
    void rejectsUnknownOptionsAndTargetsWithoutAScheme() {
        assertThatThrownBy(() -> DriverOptions.parse(List.of("--target", "https://bench.test/", "--bogus")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--bogus");
        assertThatThrownBy(() -> DriverOptions.parse(List.of("--target", "bench.test:443")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesTheOptionWhoseNumberIsMalformed() {
        assertThatThrownBy(() -> DriverOptions.parse(List.of("--target", "https://bench.test/", "--rate", "fast")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--rate needs a number");
    }
}
