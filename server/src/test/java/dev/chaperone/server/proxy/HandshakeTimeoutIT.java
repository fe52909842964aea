package dev.chaperone.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.RawTunnel;
import dev.chaperone.server.testing.TestFilters;

/** A client that opens a tunnel and never starts TLS is disconnected after the handshake timeout. */
class HandshakeTimeoutIT {

    @TempDir
    Path workDir;

    @Test
    void tunnelWithoutHandshakeIsClosedLongBeforeTheIdleTimeout() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(workDir,
                settings -> settings.withClientTimeouts(Duration.ofMinutes(5), Duration.ofMillis(300)),
                UnaryOperator.identity())) {
            ProxyFixture.Credentials box = proxy.register("silent", TestFilters.allowAll());

            try (RawTunnel tunnel = RawTunnel.connect(proxy.port(), "api.example.test:443", box)) {
                assertThat(tunnel.connectReply().status()).isEqualTo(200);

                // The socket's read timeout (20 s) is far below the idle timeout (5 min): only the handshake
                // timeout can end this read with end-of-stream.
                InputStream in = tunnel.inputStream();
                assertThat(in.read()).isEqualTo(-1);
            }
        }
    }
}
