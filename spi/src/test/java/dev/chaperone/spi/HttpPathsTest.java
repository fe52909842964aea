package dev.chaperone.spi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpPathsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/, /",
            "'', /",
            "/v1/charges, /v1/charges",
            "/v1/./charges, /v1/charges",
            "/v1/charges/.., /v1/",
            "/v1/charges/../../.., /",
            "/v1/charges/%2e%2e/admin, /v1/admin",
            "/v1/charges/%2E%2E/admin, /v1/admin",
            "/v1/charges/.%2e/admin, /v1/admin",
            "/v1/%63harges, /v1/charges",
            "/v1/a%2fb, /v1/a%2Fb",
            "/v1/caf%c3%a9, /v1/caf%C3%A9",
            "/v1/%7euser, /v1/~user",
            "/v1//charges, /v1//charges",
            "/v1/charges;x=1, /v1/charges;x=1",
            "/v1/%25, /v1/%25",
    })
    void normalisesPaths(String raw, String normal) {
        assertThat(HttpPaths.normalize(raw)).isEqualTo(normal);
    }

    @Test
    void isIdempotent() {
        for (String raw : new String[] {"/v1/%2e%2e/x", "/a/b/../c/%7e", "/v1/a%2fb", "/x;p=1/y"}) {
            String once = HttpPaths.normalize(raw);
            assertThat(HttpPaths.normalize(once)).isEqualTo(once);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "v1/charges | does not start with '/'",
            "/v1/..%2fadmin | dot segment",
            "/v1/..%2Fadmin | dot segment",
            "/v1/%2e%2e%2fadmin | dot segment",
            "/v1/..%5cadmin | dot segment",
            "/v1/..;/admin | dot segment",
            "/v1/.;/admin | dot segment",
            "/v1/..;jsessionid=1/admin | dot segment",
            "/v1/..%3B/admin | dot segment",
            "/v1/%252e%252e/admin | dot segment",
            "/v1/%252e%252e%252fadmin | dot segment",
            "/v1/%25252e%25252e/admin | dot segment",
            "/v1/a%2f..%2fadmin | dot segment",
            "/v1/%c0%ae%c0%ae/admin | overlong",
            "/v1/%C0%AF | overlong",
            "/v1/\\..\\admin | backslash",
            "/v1/%00 | NUL",
            "/v1/%zz | broken percent-escape",
            "/v1/% | broken percent-escape",
            "/v1/%4 | broken percent-escape",
            "/v1/%\uFF14\uFF11 | broken percent-escape",
            "/v1/a b | space, control or non-ASCII",
            "/v1/caf\u00E9 | space, control or non-ASCII",
            "/v1/a#b | '#'",
            "/v1/a?b | '?'",
    })
    void refusesPathsThatCouldEscapeTheirPrefix(String raw, String reason) {
        assertThatThrownBy(() -> HttpPaths.normalize(raw))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void refusesControlCharacters() {
        assertThatThrownBy(() -> HttpPaths.normalize("/v1/a\r\nb")).hasMessageContaining("control");
        assertThatThrownBy(() -> HttpPaths.normalize("/v1/a\u0000")).hasMessageContaining("control");
    }

    @ParameterizedTest(name = "{0} under {1}: {2}")
    @CsvSource({
            "/v1/charges, /v1/charges, true",
            "/v1/charges/ch_1, /v1/charges, true",
            "/v1/charges/, /v1/charges, true",
            "/v1/chargesX, /v1/charges, false",
            "/v1/charges;x, /v1/charges, false",
            "/v1/charges%2Fx, /v1/charges, false",
            "/v1, /v1/charges, false",
            "/v1/charges, /v1/charges/, false",
            "/v1/charges/x, /v1/charges/, true",
            "/anything, /, true",
            "/V1/charges, /v1/charges, false",
    })
    void matchesPrefixesSegmentBySegment(String path, String prefix, boolean expected) {
        assertThat(HttpPaths.hasPrefix(path, prefix)).isEqualTo(expected);
    }
}
