package dev.chaperone.server.proxy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuthorityTest {

    @Test
    void splitsHostAndPort() {
        assertThat(Authority.parse("api.example.test")).isEqualTo(new Authority("api.example.test", -1));
        assertThat(Authority.parse("api.example.test:8443")).isEqualTo(new Authority("api.example.test", 8443));
        assertThat(Authority.parse("[::1]:443")).isEqualTo(new Authority("[::1]", 443));
        assertThat(Authority.parse("[::1]")).isEqualTo(new Authority("[::1]", -1));
    }

    @Test
    void refusesMalformedAuthorities() {
        assertThat(Authority.parse("")).isNull();
        assertThat(Authority.parse(":443")).isNull();
        assertThat(Authority.parse("user@api.example.test")).isNull();
        assertThat(Authority.parse("api.example.test:")).isNull();
        assertThat(Authority.parse("api.example.test:99999")).isNull();
        assertThat(Authority.parse("api.example.test:+80")).isNull();
        assertThat(Authority.parse("::1")).isNull();
        assertThat(Authority.parse("[::1]x")).isNull();
    }
}
