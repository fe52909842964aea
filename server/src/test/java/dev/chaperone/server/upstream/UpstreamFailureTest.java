package dev.chaperone.server.upstream;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;

import dev.chaperone.server.net.AddressDeniedException;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamFailureTest {

    @Test
    void refusedAddressIs403WithTheGuardsReason() {
        UpstreamFailure failure = UpstreamFailure.classify(
                new IOException("wrapped", new AddressDeniedException("db.internal", "private")));

        assertThat(failure.status()).isEqualTo(403);
        assertThat(failure.error()).isEqualTo("address_denied");
        assertThat(failure.reason()).isEqualTo("private");
    }

    @Test
    void unreachableUpstreamsAre502() {
        assertThat(UpstreamFailure.classify(new ConnectException("Connection refused")).status()).isEqualTo(502);
        assertThat(UpstreamFailure.classify(new UnknownHostException("nowhere")).reason()).isEqualTo("unknown_host");
        assertThat(UpstreamFailure.classify(new SSLHandshakeException("bad certificate")).reason())
                .isEqualTo("tls_failed");
        assertThat(UpstreamFailure.classify(new IllegalStateException("odd")).status()).isEqualTo(502);
    }

    @Test
    void timeoutsAre504() {
        assertThat(UpstreamFailure.classify(new TimeoutException("Idle timeout expired")).status()).isEqualTo(504);
        assertThat(UpstreamFailure.classify(new SocketTimeoutException("Connect Timeout")).status()).isEqualTo(504);
    }
}
