package dev.chaperone.server.proxy;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HopByHopHeadersTest {

    @Test
    void dropsTheFixedHopByHopHeadersWhateverTheirCase() {
        HopByHopHeaders headers = HopByHopHeaders.of(List.of());

        assertThat(List.of("Connection", "keep-alive", "Keep-Alive", "PROXY-AUTHORIZATION", "Proxy-Connection", "TE",
                "Transfer-Encoding", "upgrade", "HTTP2-Settings")).allMatch(headers::isDropped);
        assertThat(List.of("Authorization", "Host", "Content-Length", "X-Keep-Alive", "Tea", ""))
                .noneMatch(headers::isDropped);
    }

    @Test
    void dropsTheHeadersConnectionNamesWhateverTheirCase() {
        HopByHopHeaders headers = HopByHopHeaders.of(List.of("close, X-Private-Hop", " x-OTHER ,,"));

        assertThat(List.of("x-private-hop", "X-PRIVATE-HOP", "X-Other", "close", "Connection"))
                .allMatch(headers::isDropped);
        assertThat(List.of("X-Private", "X-Other-Header")).noneMatch(headers::isDropped);
    }
}
