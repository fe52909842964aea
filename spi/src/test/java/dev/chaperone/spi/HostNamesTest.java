package dev.chaperone.spi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostNamesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "api.stripe.com, api.stripe.com",
            "API.Stripe.COM, api.stripe.com",
            "api.stripe.com., api.stripe.com",
            "localhost, localhost",
            "a-b.example, a-b.example",
            "xn--pi-6kc.stripe.com, xn--pi-6kc.stripe.com",
            "XN--PI-6KC.stripe.com, xn--pi-6kc.stripe.com",
            "127.0.0.1, 127.0.0.1",
            "0.0.0.0, 0.0.0.0",
            "255.255.255.255, 255.255.255.255",
            "10.0.0.1., 10.0.0.1",
            "::1, ::1",
            "[::1], ::1",
            "[2001:DB8:0:0:0:0:0:1], 2001:db8::1",
            "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "[::ffff:127.0.0.1], ::ffff:7f00:1",
            "::ffff:7f00:1, ::ffff:7f00:1",
            "fe80:0:0:0:0:0:0:1, fe80::1",
    })
    void normalisesToTheCanonicalSpelling(String input, String canonical) {
        assertThat(HostNames.normalize(input)).isEqualTo(canonical);
    }

    @Test
    void turnsInternationalisedNamesIntoPunycode() {
        assertThat(HostNames.normalize("b\u00FCcher.example")).isEqualTo("xn--bcher-kva.example");
        assertThat(HostNames.normalize("B\u00DCCHER.example")).isEqualTo("xn--bcher-kva.example");
        // A Cyrillic 'a' makes a different name, never the Latin one it looks like.
        assertThat(HostNames.normalize("\u0430pi.stripe.com")).isEqualTo("xn--pi-6kc.stripe.com");
        assertThat(HostNames.normalize("stripe.c\u043Em")).isEqualTo("stripe.xn--cm-fmc");
    }

    @Test
    void isIdempotentOnCanonicalSpellings() {
        for (String host : new String[] {"api.stripe.com", "10.1.2.3", "2001:db8::1", "::ffff:7f00:1",
                "xn--bcher-kva.example"}) {
            assertThat(HostNames.normalize(HostNames.normalize(host))).isEqualTo(host);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "127.1 | four decimal numbers",
            "0x7f.1 | four decimal numbers",
            "0x7f.0.0.1 | four decimal numbers",
            "2130706433 | four decimal numbers",
            "0177.0.0.1 | four decimal numbers",
            "010.0.0.1 | leading zeros",
            "127.0.0.01 | leading zeros",
            "256.0.0.1 | over 255",
            "1.2.3.4.5 | four decimal numbers",
            "example.123 | four decimal numbers",
            "example.0x10 | four decimal numbers",
            "user@api.stripe.com | userinfo",
            "api.stripe.com#frag | '#'",
            "api.stripe.com/path | '/'",
            "api.stripe.com?q | '?'",
            "api.stripe.com\\evil | '\\'",
            "api%2estripe.com | percent-escape",
            "api.stripe.com:443 | a port does not belong",
            "[127.0.0.1] | not a valid IPv6 address",
            "[api.stripe.com] | not a valid IPv6 address",
            "[::1 | one pair of brackets",
            "::1] | brackets are only allowed",
            "[[::1]] | not a valid IPv6 address",
            "[fe80::1%25eth0] | zone id",
            "fe80::1%eth0 | zone id",
            "1::2:3:4:5:6:7:8 | not a valid IPv6 address",
            "12345::1 | not a valid IPv6 address",
            "api.stripe.com.. | empty label",
            ". | empty label",
            ".api.stripe.com | empty label",
            "api..stripe.com | empty label",
            "-api.stripe.com | starts or ends with '-'",
            "api-.stripe.com | starts or ends with '-'",
            "api_1.stripe.com | not allowed in a DNS name",
            "*.stripe.com | not allowed in a DNS name",
            "'api.stripe.com ' | space or control",
    })
    void refusesAmbiguousOrForeignSpellings(String input, String reason) {
        assertThatThrownBy(() -> HostNames.normalize(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ex\u00ADample.com",            // soft hyphen, which IDNA silently drops
            "\uFF45xample.com",             // fullwidth 'e'
            "\uFF11\uFF12\uFF17.0.0.1",     // fullwidth digits
            "stra\u00DFe.de",               // IDNA 2003 and 2008 disagree
    })
    void refusesNonAsciiSpellingsOfAsciiNames(String input) {
        assertThatThrownBy(() -> HostNames.normalize(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spells an ASCII name with non-ASCII characters");
    }

    @Test
    void refusesNonAsciiDotsControlCharactersAndEmptiness() {
        assertThatThrownBy(() -> HostNames.normalize("example\u3002com")).hasMessageContaining("non-ASCII dot");
        assertThatThrownBy(() -> HostNames.normalize("example.com\u0000")).hasMessageContaining("control");
        assertThatThrownBy(() -> HostNames.normalize("exa\tmple.com")).hasMessageContaining("control");
        assertThatThrownBy(() -> HostNames.normalize("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> HostNames.normalize(null)).hasMessageContaining("empty");
    }

    @Test
    void refusesNamesOverTheDnsLimits() {
        String label64 = "a".repeat(64);
        assertThatThrownBy(() -> HostNames.normalize(label64 + ".example"))
                .hasMessageContaining("longer than 63");
        String longName = ("a".repeat(60) + ".").repeat(5) + "example";
        assertThatThrownBy(() -> HostNames.normalize(longName)).hasMessageContaining("longer than 253");
        assertThat(HostNames.normalize("a".repeat(63) + ".example")).startsWith("aaa");
    }

    @Test
    void tellsIpLiteralsFromNames() {
        assertThat(HostNames.isIpLiteral("10.0.0.1")).isTrue();
        assertThat(HostNames.isIpLiteral("2001:db8::1")).isTrue();
        assertThat(HostNames.isIpLiteral("api.stripe.com")).isFalse();
        assertThat(HostNames.isIpLiteral("xn--bcher-kva.example")).isFalse();
    }

    @Test
    void bracketsOnlyIpv6InAuthorityForm() {
        assertThat(HostNames.toAuthorityForm("2001:db8::1")).isEqualTo("[2001:db8::1]");
        assertThat(HostNames.toAuthorityForm("10.0.0.1")).isEqualTo("10.0.0.1");
        assertThat(HostNames.toAuthorityForm("api.stripe.com")).isEqualTo("api.stripe.com");
    }

    @Test
    void formatsIpv6AsRfc5952() {
        byte[] bytes = new byte[16];
        bytes[15] = 1;
        assertThat(HostNames.formatIpv6(bytes)).isEqualTo("::1");
        bytes[0] = 0x20;
        bytes[1] = 0x01;
        bytes[2] = 0x0d;
        bytes[3] = (byte) 0xb8;
        assertThat(HostNames.formatIpv6(bytes)).isEqualTo("2001:db8::1");
        // A single zero group is written out, not shortened.
        byte[] one = {0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1};
        assertThat(HostNames.formatIpv6(one)).isEqualTo("1:0:1:1:1:1:1:1");
        assertThatThrownBy(() -> HostNames.formatIpv6(new byte[4])).isInstanceOf(IllegalArgumentException.class);
    }
}
