package dev.chaperone.server.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrTest {

    @ParameterizedTest(name = "{0} reads as {1}")
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0/8",
        "127.0.0.0/8, 127.0.0.0/8",
        "0.0.0.0/0, 0.0.0.0/0",
        "192.168.1.7/32, 192.168.1.7/32",
        "fd00::/8, fd00::/8",
        "FD00:0:0::/8, fd00::/8",
        "2001:0db8:0000::/32, 2001:db8::/32",
        "::/0, ::/0",
        "::1/128, ::1/128",
        "::ffff:10.0.0.0/104, ::ffff:a00:0/104",
    })
    void parsesNetworksIntoTheirCanonicalText(String text, String canonical) {
        assertThat(Cidr.parse(text)).hasToString(canonical);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "10.0.0.0/33", "::/129", "10.0.0.0", "10.0.0.0/", "/8", "10.0.0/24", "10.1/16", "10.0.0.00/8",
        "010.0.0.0/8", "0x0a.0.0.0/8", "256.0.0.0/8", "10.0.0.0/08", "10.0.0.0/-1", "10.0.0.0/8/8",
        "10.0.0.0 /8", "10.0.0.0/+8", "fe80::1%eth0/64", "[::1]/128", "fd00:::/8", "localhost/8", "",
        "1:2:3:4:5:6:7:8:9/64", "10.0.0.0/1000",
    })
    void refusesTextThatIsNotACanonicalCidr(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesHostBitsAfterThePrefixAndSuggestsTheNetwork() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("did you mean 10.0.0.0/8");
        assertThatThrownBy(() -> Cidr.parse("fd00::1/8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("did you mean fd00::/8");
        assertThatThrownBy(() -> Cidr.parse("192.168.1.128/24")).hasMessageContaining("192.168.1.0/24");
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0, true",
        "10.0.0.0/8, 10.255.255.255, true",
        "10.0.0.0/8, 11.0.0.0, false",
        "10.0.0.0/8, 9.255.255.255, false",
        "172.16.0.0/12, 172.31.0.1, true",
        "172.16.0.0/12, 172.32.0.1, false",
        "100.64.0.0/10, 100.127.255.255, true",
        "100.64.0.0/10, 100.128.0.0, false",
        "192.168.1.7/32, 192.168.1.7, true",
        "192.168.1.7/32, 192.168.1.8, false",
        "0.0.0.0/0, 8.8.8.8, true",
        "0.0.0.0/0, 2606:4700::1, false",
        "127.0.0.0/8, ::ffff:127.0.0.1, true",
        "127.0.0.0/8, ::127.0.0.1, false",
        "127.0.0.0/8, 64:ff9b::127.0.0.1, false",
        "fd00::/8, fd12::1, true",
        "fd00::/8, fc00::1, false",
        "fe80::/10, febf::1, true",
        "fe80::/10, fec0::1, false",
        "::/0, 10.0.0.1, false",
        "::/0, ::1, true",
        "::1/128, ::1, true",
        "::1/128, ::2, false",
        "2001:db8::/33, 2001:db8:7fff::1, true",
        "2001:db8::/33, 2001:db8:8000::1, false",
    })
    void containsExactlyTheAddressesOfItsNetwork(String cidr, String address, boolean contained) {
        assertThat(Cidr.parse(cidr).contains(IpLiterals.bytes(address))).isEqualTo(contained);
        assertThat(Cidr.parse(cidr).contains(IpLiterals.address(address))).isEqualTo(contained);
    }

    @Test
    void parsesACommaSeparatedListIgnoringBlanks() {
        assertThat(Cidr.parseList(" 10.0.0.0/8, fd00::/8 ,,")).containsExactly(
                Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8"));
        assertThat(Cidr.parseList("  ")).isEmpty();
        assertThatThrownBy(() -> Cidr.parseList("10.0.0.0/8, 10.1/16"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10.1/16");
    }

    @Test
    void equalNetworksAreEqual() {
        assertThat(Cidr.parse("FD00::/8")).isEqualTo(Cidr.parse("fd00:0::/8"))
                .hasSameHashCodeAs(Cidr.parse("fd00:0::/8"));
        assertThat(Cidr.parse("10.0.0.0/8")).isNotEqualTo(Cidr.parse("10.0.0.0/9"));
        assertThat(Cidr.parse("10.0.0.0/8").isIpv4()).isTrue();
        assertThat(Cidr.parse("::/0").prefixLength()).isZero();
    }
}
