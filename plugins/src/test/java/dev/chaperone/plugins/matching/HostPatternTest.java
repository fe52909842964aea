package dev.chaperone.plugins.matching;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostPatternTest {

    @ParameterizedTest(name = "{0} -> {1} {2} port {3}")
    @CsvSource({
            "api.stripe.com, EXACT, api.stripe.com, 0",
            "API.Stripe.com., EXACT, api.stripe.com, 0",
            "api.stripe.com:443, EXACT, api.stripe.com, 443",
            "*.twilio.com, WILDCARD, twilio.com, 0",
            "*.Twilio.COM:8443, WILDCARD, twilio.com, 8443",
            "10.0.0.0/8, CIDR, 10.0.0.0/8, 0",
            "203.0.113.7, CIDR, 203.0.113.7, 0",
            "203.0.113.7:8443, CIDR, 203.0.113.7, 8443",
            "2001:db8::/32, CIDR, 2001:db8::/32, 0",
            "2001:DB8:0::1, CIDR, 2001:db8::1, 0",
            "[2001:db8::1]:443, CIDR, 2001:db8::1, 443",
            "[2001:db8::/32]:443, CIDR, 2001:db8::/32, 443",
            "0.0.0.0/0, CIDR, 0.0.0.0/0, 0",
    })
    void parsesPatterns(String text, HostPattern.Kind kind, String host, int port) {
        HostPattern pattern = HostPattern.parse(text);
        assertThat(pattern.kind()).isEqualTo(kind);
        assertThat(pattern.host()).isEqualTo(host);
        assertThat(pattern.port().orElse(0)).isEqualTo(port);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "'' | empty",
            "* | only allowed as the whole first label",
            "*twilio.com | only allowed as the whole first label",
            "api.*.com | only allowed as the whole first label",
            "*.*.twilio.com | only allowed as the whole first label",
            "*.10.0.0.1 | not an address",
            "api.stripe.com:0 | from 1 to 65535",
            "api.stripe.com:65536 | from 1 to 65535",
            "api.stripe.com: | from 1 to 65535",
            "api.stripe.com:https | from 1 to 65535",
            "10.1.2.3/8 | the block is 10.0.0.0/8",
            "2001:db8::1/32 | the block is 2001:db8::/32",
            "10.0.0.0/33 | from 0 to 32",
            "2001:db8::/129 | from 0 to 128",
            "10.0.0.0/ | from 0 to 32",
            "api.stripe.com/8 | needs an IP address",
            "[10.0.0.1]:443 | only allowed around an IPv6",
            "[2001:db8::1]443 | only ':port' may follow",
            "[2001:db8::1 | without a matching",
            "127.1 | four decimal numbers",
            "user@api.stripe.com | userinfo",
    })
    void refusesBadPatterns(String text, String reason) {
        assertThatThrownBy(() -> HostPattern.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }
}
