package dev.chaperone.server.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyCredentialsTest {

    private static String basic(String text) {
        return "Basic " + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsIdAndTokenFromBasic() {
        assertThat(ProxyCredentials.parse(basic("box:tok:en"))).hasValue(new ProxyCredentials("box", "tok:en"));
        assertThat(ProxyCredentials.parse("basic " + basic("box:t").substring(6))).isPresent();
    }

    @Test
    void refusesAnythingElse() {
        assertThat(ProxyCredentials.parse(null)).isEmpty();
        assertThat(ProxyCredentials.parse("Bearer abc")).isEmpty();
        assertThat(ProxyCredentials.parse("Basic !!!")).isEmpty();
        assertThat(ProxyCredentials.parse(basic("no-colon"))).isEmpty();
        assertThat(ProxyCredentials.parse(basic(":token"))).isEmpty();
    }

    @Test
    void neverShowsTheToken() {
        assertThat(new ProxyCredentials("box", "s3cret").toString()).contains("box").doesNotContain("s3cret");
    }
}
